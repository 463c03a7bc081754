/**
 * Replays the OMA conformance-suite server packages of the AOSP OMA-DM engine (shared/vectors
 * aosp-omadm-dm1{1,2}-test*) against the session engine, on a tree set up like the engine's
 * test harness, and compares the reply Status by Status and Result by Result with what that
 * shipping engine answered (derived-*.expected-client-response.*). Then runs the real Windows 10
 * packages (fleet-win10-*) through it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { decodeMessage } from '../../../src/core/codec/message-codec.js';
import type { AlertCommand, ReplaceCommand, SyncMLMessage } from '../../../src/core/syncml/message.js';
import { DmClientSession } from '../../../src/client/session/dm-session.js';
import type { SessionAccount } from '../../../src/client/session/session-types.js';
import { timeoutUiHandler } from '../../../src/client/session/ui-handler.js';
import { CONFORMANCE_CALLER, createConformanceTree } from '../../helpers/conformance-tree.js';
import { MemoryTree } from '../../helpers/memory-tree.js';

const VECTORS = new URL('../../../../shared/vectors/', import.meta.url);
const vector = (name: string): Buffer => {
  const url = new URL(name, VECTORS);
  if (!existsSync(url)) throw new Error(`missing shared vector ${url.pathname}: the tests need ../shared beside the checkout`);
  return readFileSync(url);
};

/** The harness device: authentication switched off, every command allowed to the SCTS server. */
const HARNESS_ACCOUNT: SessionAccount = {
  serverId: CONFORMANCE_CALLER.serverId, serverUrl: 'http://10.72.34.217:80/Manage', clientAuth: 'none', serverAuth: 'none', roles: CONFORMANCE_CALLER.roles,
};

/**
 * The only differences allowed between our reply and the reference engine's, each with why it is
 * not a defect. Keys are vector names (without the dm11/dm12 prefix); `*` applies to all.
 */
const ALLOWED: Readonly<Record<string, readonly Allowance[]>> = {
  '*': ['synchdr-refs', 'results-meta'],
  testalertconfirm: ['no-synchdr-status'],
  testalertconfirmatomic: ['no-synchdr-status', 'empty-target-ref'],
  testalertdisplay: ['no-synchdr-status'],
  testalertmultiplechoice: ['no-synchdr-status'],
  testalertsinglechoice: ['no-synchdr-status'],
  testalerttextinput: ['no-synchdr-status'],
  testexecscript: ['no-synchdr-status', 'exec-target-ref', 'exec-results-msgref'],
  testexecscript2: ['no-synchdr-status', 'exec-target-ref', 'exec-results-msgref'],
  testgetscript: ['no-synchdr-status'],
  testnewdatatype: ['no-synchdr-status'],
  testreplace: ['no-synchdr-status'],
};

type Allowance = keyof typeof REASONS;
const REASONS = {
  'no-synchdr-status': 'the harness ran XML scripts with `processscript`, which skips SyncHdr processing, so its reply has no Status for the SyncHdr; a client must answer the SyncHdr in every reply (OMA-TS-DM_Protocol §8, reference §3)',
  'synchdr-refs': 'the reference engine writes the SyncHdr Status without TargetRef/SourceRef; we echo the server header\'s Target and Source as RepPro Status allows',
  'results-meta': 'Results Item Meta (Format/Type/Size) is written by each tree; only Source LocURI and Data are compared',
  'empty-target-ref': 'the reference engine writes an empty <TargetRef/> for an Alert inside Atomic; an Alert has no target, we write none',
  'exec-target-ref': 'the reference engine leaves out TargetRef on an Exec Status; we echo the Exec item Target like every other item command',
  'exec-results-msgref': 'the reference engine leaves MsgRef out of Exec Results; we always send it (RepPro Results MsgRef)',
} as const;

interface Row {
  readonly kind: 'Status' | 'Results';
  readonly cmd?: string;
  readonly cmdRef: number | undefined;
  readonly msgRef?: number | undefined;
  readonly data?: number;
  readonly targetRefs?: readonly string[] | undefined;
  readonly sourceRefs?: readonly string[] | undefined;
  readonly items: readonly unknown[];
}

function rows(msg: SyncMLMessage | undefined, allowed: ReadonlySet<Allowance>, ours: boolean): Row[] {
  const out: Row[] = [];
  for (const c of msg?.body.commands ?? []) {
    if (c.kind === 'Status') {
      if (c.cmd === 'SyncHdr' && ours && allowed.has('no-synchdr-status')) continue;
      const hdr = c.cmd === 'SyncHdr' && allowed.has('synchdr-refs');
      const execRef = c.cmd === 'Exec' && allowed.has('exec-target-ref');
      const nonEmpty = (r: readonly string[] | undefined): readonly string[] | undefined => {
        const kept = (r ?? []).filter((x) => !(allowed.has('empty-target-ref') && x === ''));
        return kept.length > 0 ? kept : undefined;
      };
      out.push({
        kind: 'Status', cmd: c.cmd, cmdRef: c.cmdRef, msgRef: c.msgRef, data: c.data,
        ...(hdr || execRef ? {} : { targetRefs: nonEmpty(c.targetRefs), sourceRefs: nonEmpty(c.sourceRefs) }),
        items: (c.items ?? []).map((i) => i.data),
      });
    } else if (c.kind === 'Results') {
      const dropMsgRef = allowed.has('exec-results-msgref');
      out.push({
        kind: 'Results', cmdRef: c.cmdRef, ...(dropMsgRef ? {} : { msgRef: c.msgRef }),
        items: c.items.map((i) => [i.source?.locUri, i.data, ...(allowed.has('results-meta') ? [] : [i.meta])]),
      });
    }
  }
  return out;
}

async function replay(file: string): Promise<{ ours: SyncMLMessage | undefined; session: DmClientSession }> {
  const bytes = vector(file);
  const header = decodeMessage(bytes).message.header;
  const session = new DmClientSession({
    tree: createConformanceTree(),
    account: HARNESS_ACCOUNT,
    sessionId: header.sessionId,
    verDtd: header.verDtd,
    encoding: file.endsWith('.wbxml') ? 'wbxml' : 'xml',
    // The harness had no user: UI alerts timed out (display alerts count as shown).
    ui: timeoutUiHandler,
  });
  session.start();
  const reply = await session.receive({ body: bytes });
  return { ours: reply === undefined ? undefined : decodeMessage(reply.body).message, session };
}

const SERVER_PACKAGES = readdirSync(VECTORS).filter((f) => /^aosp-omadm-dm1[12]-test[a-z0-9]+\.(xml|wbxml)$/.test(f)).sort();

describe('DmClientSession against the AOSP conformance vectors', () => {
  it('finds every server package and its expected reply', () => {
    assert.equal(SERVER_PACKAGES.length, 27);
  });

  for (const file of SERVER_PACKAGES) {
    const base = file.replace(/\.(xml|wbxml)$/, '');
    const name = base.replace(/^aosp-omadm-dm1[12]-/, '');
    const allowed = new Set<Allowance>([...(ALLOWED['*'] ?? []), ...(ALLOWED[name] ?? [])]);
    it(`answers ${file} Status by Status and Result by Result like the reference engine`, async () => {
      const expectedFile = readdirSync(VECTORS).find((f) => f.startsWith(`derived-${base}.expected-client-response.`));
      assert.ok(expectedFile !== undefined, `no expected response for ${file}`);
      for (const a of allowed) assert.ok(REASONS[a].length > 0);
      const expected = decodeMessage(vector(expectedFile)).message;
      const { ours } = await replay(file);
      assert.ok(ours !== undefined, 'the engine sent a reply');
      assert.deepEqual(rows(ours, allowed, true), rows(expected, allowed, false));
      assert.equal(ours.body.final, expected.body.final);
      assert.equal(ours.header.sessionId, expected.header.sessionId);
    });
  }

  it('sends its reply to the RespURI of the server package and keeps the session open', async () => {
    const { ours, session } = await replay('aosp-omadm-dm12-testgetscript.xml');
    assert.equal(ours?.header.target.locUri, 'http://199.1.88.66/Scts?4Eq5AA==');
    assert.equal(session.outcome, undefined);
  });
});

describe('DmClientSession with the Windows 10 session transcripts', () => {
  const win = vector('fleet-win10-19043-session1-pkg1-client-init.xml');
  const windowsPkg1 = decodeMessage(win).message;
  const devInfo = (windowsPkg1.body.commands.find((c) => c.kind === 'Replace') as ReplaceCommand).items;
  const loginStatus = (windowsPkg1.body.commands.find((c) => c.kind === 'Alert' && c.data === 1224) as AlertCommand).items;
  const tree = (): MemoryTree => new MemoryTree({ leaves: Object.fromEntries(devInfo.map((i) => [i.source?.locUri ?? '', String(i.data)])) });
  const account: SessionAccount = { serverId: 'fleet', serverUrl: windowsPkg1.header.target.locUri, clientAuth: 'none', serverAuth: 'none', roles: 0 };

  it('builds a Package 1 with the same DevInfo items, Alert 1201 and the 1224 client event as the Windows client', () => {
    const session = new DmClientSession({ tree: tree(), account, sessionId: '1', alerts: [{ id: 'login', code: 1224, items: loginStatus }] });
    const ours = session.start().message;
    assert.equal(ours.header.source.locUri, windowsPkg1.header.source.locUri);
    assert.equal(ours.header.target.locUri, windowsPkg1.header.target.locUri);
    const rep = ours.body.commands.find((c): c is ReplaceCommand => c.kind === 'Replace');
    assert.deepEqual(rep?.items.map((i) => [i.source?.locUri, i.data]), devInfo.map((i) => [i.source?.locUri, i.data]));
    assert.deepEqual(ours.body.commands.filter((c): c is AlertCommand => c.kind === 'Alert').map((a) => a.data).sort(),
      windowsPkg1.body.commands.filter((c): c is AlertCommand => c.kind === 'Alert').map((a) => a.data).sort());
  });

  it('ends the session without a reply when the server answers with statuses only', async () => {
    const session = new DmClientSession({ tree: tree(), account, sessionId: '1', alerts: [{ id: 'login', code: 1224, items: loginStatus }] });
    assert.deepEqual(session.start().message.body.commands.map((c) => c.kind), ['Alert', 'Replace', 'Alert']);
    const next = await session.receive({ body: vector('fleet-win10-19043-session1-pkg2-server-statuses.xml') });
    assert.equal(next, undefined);
    assert.equal(session.outcome?.end, 'completed');
    assert.equal(session.outcome?.messagesSent, 1);
  });

  it('keeps the unenrollment generic alert pending when the server answers only the SyncHdr', async () => {
    const pkg1 = decodeMessage(vector('fleet-win10-19043-session2-pkg1-generic-alert-unenroll.xml')).message;
    const unenroll = (pkg1.body.commands.find((c) => c.kind === 'Alert' && c.data === 1226) as AlertCommand).items;
    const session = new DmClientSession({ tree: tree(), account, sessionId: '2', alerts: [{ id: 'unenroll', code: 1226, items: unenroll }] });
    const ours = session.start().message;
    const ga = ours.body.commands.find((c): c is AlertCommand => c.kind === 'Alert' && c.data === 1226);
    assert.equal(ga?.items[0]?.meta?.type, 'com.microsoft:mdm.unenrollment.userrequest');
    assert.equal(await session.receive({ body: vector('fleet-win10-19043-session2-pkg2-server-hdr-status-only.xml') }), undefined);
    assert.equal(session.outcome?.end, 'completed');
    assert.deepEqual(session.outcome?.deliveredAlerts, []);
  });
});
