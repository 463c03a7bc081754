import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { verifyHmacMd5 } from '../../../src/core/auth/hmac-md5.js';
import { computeMd5Digest, md5Secret, verifyMd5Digest } from '../../../src/core/auth/md5-digest.js';
import { decodeNonce, encodeNonce } from '../../../src/core/auth/nonce.js';
import { encodeNotification } from '../../../src/core/notification/package0.js';
import { encodeWapPush } from '../../../src/core/notification/wap-push.js';
import type { AlertCommand, StatusCommand } from '../../../src/core/syncml/message.js';
import { memoryAccountSource, type AgentAccount } from '../../../src/client/agent/agent-account.js';
import { DeviceAgent, type DeviceAgentOptions } from '../../../src/client/agent/device-agent.js';
import { PendingAlertQueue } from '../../../src/client/agent/pending-alerts.js';
import { HttpTransport } from '../../../src/client/transport/http-transport.js';
import type { Sleep } from '../../../src/client/transport/retry.js';
import { DEVINFO, MemoryTree } from '../../helpers/memory-tree.js';
import { hdrStatus, okStatuses, reply, startFakeDmServer, statusesOf, type FakeDmServer, type FakeReply, type ReceivedRequest } from '../../helpers/fake-dm-server.js';

const NONCE = encodeNonce(new Uint8Array(16).fill(3));
const transport = new HttpTransport({ timeoutMs: 5000 });
after(() => transport.close());

function fakeSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => { waits.push(ms); } };
}

function account(url: string, over: Partial<AgentAccount> = {}): AgentAccount {
  return { serverId: 'acme-dm', serverUrl: url, clientAuth: 'none', serverAuth: 'none', roles: 0, retry: { retries: 3, initialBackOffMs: 1000, maxBackOffMs: 60_000 }, ...over };
}

function agent(server: FakeDmServer, over: Partial<AgentAccount> = {}, opts: Partial<DeviceAgentOptions> = {}): DeviceAgent {
  return new DeviceAgent({ tree: new MemoryTree({ leaves: DEVINFO }), accounts: memoryAccountSource([account(server.url, over)]), transport, sleep: fakeSleep().sleep, ...opts });
}

/** A minimal DM server: Package 2 = statuses + `commands`, then statuses only with Final. */
function simpleServer(commands: (req: ReceivedRequest) => NonNullable<Parameters<typeof reply>[1]['commands']> = () => []): (req: ReceivedRequest, i: number) => FakeReply {
  return (req, i) => ({ message: reply(req, { msgId: i + 1, commands: i === 0 ? [hdrStatus(req, 212), ...okStatuses(req), ...commands(req)] : [hdrStatus(req, 200), ...okStatuses(req)] }) });
}

const get = (cmdId: number, uri: string) => ({ kind: 'Get' as const, cmdId, items: [{ target: { locUri: uri } }] });

describe('DeviceAgent sessions over HTTP', () => {
  it('runs a client-initiated session to its end: Package 1, the server commands, the client response', async () => {
    const server = await startFakeDmServer(simpleServer(() => [get(10, './DevInfo/Mod')]));
    try {
      const report = await agent(server).startSession();
      assert.equal(report.ok, true, report.reason);
      assert.equal(report.end, 'completed');
      assert.equal(report.messagesSent, 2);
      assert.equal(server.requests.length, 2);
      assert.equal(server.requests[0]?.contentType, 'application/vnd.syncml.dm+xml');
      const pkg3 = server.requests[1]?.message;
      assert.deepEqual(statusesOf(pkg3).map((s) => [s.cmd, s.data]), [['SyncHdr', 200], ['Get', 200]]);
    } finally {
      await server.close();
    }
  });

  it('recovers from a 407 MD5 challenge by resending Package 1 with credentials built from the new nonce', async () => {
    const issued = new Uint8Array(16).fill(9);
    const server = await startFakeDmServer((req, i) => {
      if (i === 0) {
        return { message: reply(req, { msgId: 1, commands: [hdrStatus(req, 407, { chal: { meta: { type: 'syncml:auth-md5', format: 'b64', nextNonce: encodeNonce(issued) } } })] }) };
      }
      const cred = req.message?.header.cred;
      const ok = cred !== undefined && verifyMd5Digest({ digest: cred.data, secret: md5Secret('dev1', 'pw1'), nonce: issued }) && req.message?.header.source.locName === 'dev1';
      return { message: reply(req, { msgId: i + 1, commands: [hdrStatus(req, ok ? 212 : 401), ...okStatuses(req)] }) };
    });
    try {
      const accounts = memoryAccountSource([account(server.url, { clientAuth: 'md5', clientCredentials: { username: 'dev1', password: 'pw1' } })]);
      const report = await agent(server, {}, { accounts }).startSession();
      assert.equal(report.ok, true, report.reason);
      assert.equal(server.requests[1]?.message?.header.msgId, 2);
      assert.equal(server.requests[1]?.message?.header.sessionId, server.requests[0]?.message?.header.sessionId);
      assert.equal(accounts.list()[0]?.clientCredentials?.nonce, encodeNonce(issued), 'the new client nonce is stored in the account');
    } finally {
      await server.close();
    }
  });

  it('signs each message with HMAC and answers a MAC challenge', async () => {
    const nonces = [new Uint8Array(16).fill(1), new Uint8Array(16).fill(2), new Uint8Array(16).fill(4)];
    const server = await startFakeDmServer((req, i) => {
      const header = req.headers['x-syncml-hmac'];
      const ok = typeof header === 'string' && i > 0 && verifyHmacMd5({ header, secret: md5Secret('dev1', 'pw1'), nonce: nonces[i - 1] ?? new Uint8Array(), body: req.body });
      const chal = { meta: { type: 'syncml:auth-MAC', format: 'b64', nextNonce: encodeNonce(nonces[i] ?? new Uint8Array()) } };
      if (!ok) return { message: reply(req, { msgId: i + 1, commands: [hdrStatus(req, 407, { chal })] }) };
      return { message: reply(req, { msgId: i + 1, commands: [hdrStatus(req, 200, { chal }), ...okStatuses(req), ...(i === 1 ? [get(9, './DevInfo/Man')] : [])] }) };
    });
    try {
      const report = await agent(server, { clientAuth: 'hmac', clientCredentials: { username: 'dev1', password: 'pw1' } }).startSession();
      assert.equal(report.ok, true, report.reason);
      assert.equal(server.requests.length, 3);
      assert.equal(server.requests[0]?.headers['x-syncml-hmac'], undefined, 'no nonce yet: no MAC');
    } finally {
      await server.close();
    }
  });

  it('authenticates the server with MD5 and stores the fresh server nonce it issued', async () => {
    const server = await startFakeDmServer((req, i) => {
      const cred = { meta: { type: 'syncml:auth-md5', format: 'b64' }, data: computeMd5Digest({ username: 'acme-dm', password: 'srv', nonce: decodeNonce(NONCE) }) };
      return { message: reply(req, { msgId: i + 1, ...(i === 0 ? { cred } : {}), commands: [hdrStatus(req, 212), ...okStatuses(req), ...(i === 0 ? [get(5, './DevInfo/Lang')] : [])] }) };
    });
    try {
      const accounts = memoryAccountSource([account(server.url, { serverAuth: 'md5', serverCredentials: { username: 'acme-dm', password: 'srv', nonce: NONCE } })]);
      const report = await agent(server, {}, { accounts }).startSession();
      assert.equal(report.ok, true, report.reason);
      const hdr = statusesOf(server.requests[1]?.message)[0] as StatusCommand;
      assert.equal(hdr.data, 212);
      assert.equal(accounts.list()[0]?.serverCredentials?.nonce, hdr.chal?.meta.nextNonce);
    } finally {
      await server.close();
    }
  });

  it('sends Basic credentials', async () => {
    const server = await startFakeDmServer(simpleServer());
    try {
      await agent(server, { clientAuth: 'basic', clientCredentials: { username: 'dev1', password: 'pw1' } }).startSession();
      assert.equal(server.requests[0]?.message?.header.cred?.data, Buffer.from('dev1:pw1').toString('base64'));
    } finally {
      await server.close();
    }
  });

  it('retries HTTP 503/500 with back-off and a dropped kept-alive connection at once, resending the same message mid-session', async () => {
    const sleep = fakeSleep();
    const base = simpleServer(() => [get(10, './DevInfo/Mod')]);
    let answered = 0;
    const server = await startFakeDmServer((req, i) => {
      if (i === 0) return { status: 503 };
      if (i === 2) return { status: 500 };
      if (i === 3) return { drop: true };
      return base(req, answered++);
    });
    try {
      const report = await agent(server, {}, { sleep: sleep.sleep }).startSession();
      assert.equal(report.ok, true, report.reason);
      assert.deepEqual(sleep.waits, [1000, 1000], 'each message starts its own back-off');
      assert.equal(server.requests.length, 5);
      assert.deepEqual(server.requests[3]?.body, server.requests[2]?.body);
      assert.deepEqual(server.requests[4]?.body, server.requests[2]?.body);
    } finally {
      await server.close();
    }
  });

  it('gives up after the retries, reports the server unreachable and keeps pending alerts for the next session', async () => {
    const sleep = fakeSleep();
    let up = false;
    const server = await startFakeDmServer((req, i) => (up ? simpleServer()(req, i % 2) : { status: 503 }));
    try {
      const alerts = new PendingAlertQueue();
      alerts.queueGenericAlert({ source: './FwUpdate/pkg/Update', type: 'org.openmobilealliance.dm.firmwareupdate.update', data: '200', correlator: 'c1' });
      const a = agent(server, {}, { sleep: sleep.sleep, alerts });
      const failed = await a.startSession();
      assert.equal(failed.ok, false);
      assert.equal(failed.end, 'http-error');
      assert.match(failed.reason ?? '', /HTTP 503 \(gave up after 4 attempts\)/);
      assert.deepEqual(sleep.waits, [1000, 2000, 4000]);
      assert.equal(alerts.size, 1);
      up = true;
      const ok = await a.startSession();
      assert.equal(ok.ok, true, ok.reason);
      const ga = server.requests.at(-2)?.message?.body.commands.find((c): c is AlertCommand => c.kind === 'Alert' && c.data === 1226);
      assert.equal(ga?.correlator, 'c1');
      assert.equal(alerts.size, 0);
    } finally {
      await server.close();
    }
  });

  it('falls back to DM 1.1.2 after the server refuses DM 1.2, unless BACKCOMPATRETRYDISABLED is set', async () => {
    let v11 = 0;
    const responder = (req: ReceivedRequest): FakeReply =>
      req.message?.header.verDtd === '1.2' ? { message: reply(req, { msgId: 1, commands: [hdrStatus(req, 505)] }) } : simpleServer(() => [get(4, './DevInfo/Man')])(req, v11++);
    const server = await startFakeDmServer(responder);
    try {
      const report = await agent(server).startSession();
      assert.equal(report.ok, true, report.reason);
      assert.equal(report.verDtd, '1.1');
      assert.deepEqual(server.requests.map((r) => r.message?.header.verProto), ['DM/1.2', 'DM/1.1', 'DM/1.1']);
      const noFallback = await agent(server, { backCompatRetryDisabled: true }).startSession();
      assert.equal(noFallback.ok, false);
      assert.equal(noFallback.end, 'version-rejected');
    } finally {
      await server.close();
    }
  });

  it('falls back to DM 1.1.2 when the server answers the 1.2 Package 1 with HTTP 400', async () => {
    const server = await startFakeDmServer((req, i) => (req.message?.header.verDtd === '1.2' ? { status: 400 } : simpleServer()(req, i - 1)));
    try {
      const report = await agent(server).startSession();
      assert.equal(report.ok, true, report.reason);
      assert.equal(report.verDtd, '1.1');
    } finally {
      await server.close();
    }
  });

  it('follows RespURI and speaks WBXML end to end', async () => {
    const live = await startFakeDmServer((req, i) => ({
      encoding: 'wbxml',
      message: reply(req, { msgId: i + 1, respUri: `${live.url}?s=77`, commands: i === 0 ? [hdrStatus(req, 212), get(3, './DevInfo/DmV')] : [hdrStatus(req, 200), ...okStatuses(req)] }),
    }));
    try {
      const report = await agent(live, { encoding: 'wbxml' }).startSession();
      assert.equal(report.ok, true, report.reason);
      assert.equal(live.requests[0]?.contentType, 'application/vnd.syncml.dm+wbxml');
      assert.equal(live.requests[0]?.encoding, 'wbxml');
      assert.equal(live.requests[1]?.path, '/dm?s=77');
    } finally {
      await live.close();
    }
  });
});

describe('DeviceAgent large objects and multi-message packages over HTTP', () => {
  it('sends a value larger than the server MaxMsgSize in chunks across messages and receives a chunked Replace', async () => {
    const big = 'x'.repeat(3000);
    const tree = new MemoryTree({ leaves: { ...DEVINFO, './Big': big } });
    const server = await startFakeDmServer((req, i) => {
      const msg = req.message;
      const statuses = [hdrStatus(req, 212), ...okStatuses(req)];
      if (i === 0) {
        // Package 2: a Get of a big node and the first chunk of a Replace, server package still open.
        return { message: reply(req, { msgId: 1, final: false, meta: { maxMsgSize: 1500 }, commands: [...statuses, get(10, './Big'),
          { kind: 'Replace', cmdId: 11, items: [{ target: { locUri: './DevInfo/Man' }, meta: { format: 'chr', size: 8 }, data: 'new-', moreData: true }] }] }) };
      }
      if (i === 1) {
        return { message: reply(req, { msgId: 2, final: false, commands: [...statuses, { kind: 'Replace', cmdId: 12, items: [{ target: { locUri: './DevInfo/Man' }, data: 'name' }] }] }) };
      }
      // Keep asking for the client's next message until its package is complete.
      const done = msg?.body.final === true;
      return { message: reply(req, { msgId: i + 1, final: done, commands: [...statuses, ...(done ? [] : [{ kind: 'Alert' as const, cmdId: 20, data: 1222, items: [] }])] }) };
    });
    try {
      const report = await agent(server, {}, { tree }).startSession();
      assert.equal(report.ok, true, report.reason);
      const chunks = server.requests.slice(1).flatMap((r) => r.message?.body.commands ?? []).filter((c) => c.kind === 'Results');
      assert.ok(chunks.length >= 4, `only ${chunks.length} chunks`);
      assert.equal(chunks.map((c) => (c.kind === 'Results' ? String(c.items[0]?.data ?? '') : '')).join(''), big);
      assert.ok(server.requests.slice(1).every((r) => r.body.byteLength <= 1500));
      assert.equal(tree.readValue('./DevInfo/Man'), 'new-name');
      const statuses = server.requests.slice(1).flatMap((r) => statusesOf(r.message)).filter((s) => s.cmd === 'Replace').map((s) => s.data);
      assert.deepEqual(statuses, [213, 200]);
    } finally {
      await server.close();
    }
  });
});

describe('DeviceAgent Package 0', () => {
  const serverCreds = { username: 'acme-dm', password: 'srvpw', nonce: NONCE };
  const trigger = (over: Partial<Parameters<typeof encodeNotification>[0]> = {}): Uint8Array =>
    encodeNotification({ serverId: 'acme-dm', serverPassword: 'srvpw', serverNonce: decodeNonce(NONCE), sessionId: 0x2a, ...over });

  it('answers a verified trigger with Alert 1200 and the hex session id', async () => {
    const server = await startFakeDmServer(simpleServer());
    try {
      const v = await agent(server, { serverCredentials: serverCreds }).handlePush(trigger());
      assert.equal(v.accepted, true);
      assert.equal(v.report?.ok, true);
      const pkg1 = server.requests[0]?.message;
      assert.equal(pkg1?.header.sessionId, '2A');
      assert.equal((pkg1?.body.commands[0] as AlertCommand).data, 1200);
    } finally {
      await server.close();
    }
  });

  it('accepts a WAP-push framed trigger', async () => {
    const server = await startFakeDmServer(simpleServer());
    try {
      const pushed = encodeWapPush({ contentType: 0x44, applicationId: 0x07, body: trigger() });
      const v = await agent(server, { serverCredentials: serverCreds }).handlePush(pushed);
      assert.equal(v.accepted, true);
    } finally {
      await server.close();
    }
  });

  it('ignores, with a reason, a bad digest, an unknown server, garbage and a repeated session id', async () => {
    const server = await startFakeDmServer(simpleServer());
    try {
      const a = agent(server, { serverCredentials: serverCreds });
      const bad = await a.handlePush(trigger({ serverPassword: 'wrong' }));
      assert.equal(bad.accepted, false);
      assert.match(bad.accepted ? '' : bad.reason, /digest does not match/);
      const unknown = await a.handlePush(trigger({ serverId: 'other' }));
      assert.match(unknown.accepted ? '' : unknown.reason, /unknown server "other"/);
      const junk = await a.handlePush(new Uint8Array([1, 2, 3]));
      assert.match(junk.accepted ? '' : junk.reason, /malformed Package 0/);
      assert.equal((await a.handlePush(trigger())).accepted, true);
      const again = await a.handlePush(trigger());
      assert.match(again.accepted ? '' : again.reason, /repeats session 42/);
      assert.equal(server.requests.length, 1, 'only the accepted trigger started a session');
    } finally {
      await server.close();
    }
  });

  it('asks the user first in user-interaction mode and drops the trigger on "no"', async () => {
    const server = await startFakeDmServer(simpleServer());
    try {
      const asked: string[] = [];
      const a = agent(server, { serverCredentials: serverCreds }, { ui: { prompt: (r) => { asked.push(r.text); return { outcome: 'no' }; } } });
      const v = await a.handlePush(trigger({ uiMode: 3 }));
      assert.equal(v.accepted, false);
      assert.match(asked[0] ?? '', /acme-dm/);
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });

  it('resynchronizes the nonce when the account allows it', async () => {
    const server = await startFakeDmServer(simpleServer());
    try {
      const resync = encodeNotification({ serverId: 'acme-dm', serverPassword: 'srvpw', serverNonce: new Uint8Array(4), sessionId: 7 });
      assert.equal((await agent(server, { serverCredentials: serverCreds }).handlePush(resync)).accepted, false);
      const v = await agent(server, { serverCredentials: serverCreds, useNonceResync: true }).handlePush(resync);
      assert.equal(v.via === 'package0' && v.accepted && v.nonceResync, true);
    } finally {
      await server.close();
    }
  });

  it('listens on UDP and HTTP ports for Package 0', async () => {
    const server = await startFakeDmServer(simpleServer());
    try {
      const a = agent(server, { serverCredentials: serverCreds });
      let done!: (id: string) => void;
      const sessions = new Promise<string>((resolve) => { done = resolve; });
      const udp = await a.listen({ udpPort: 0, onSession: (r) => done(r.sessionId) });
      const sock = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => sock.send(trigger({ sessionId: 0x101 }), udp.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
      assert.equal(await sessions, '101');
      sock.close();
      await udp.close();
      const web = await a.listen({ httpPort: 0 });
      const res = await fetch(`http://127.0.0.1:${web.port}/`, { method: 'POST', body: trigger({ sessionId: 0x102 }) });
      assert.equal(res.status, 202);
      const rejected = await fetch(`http://127.0.0.1:${web.port}/`, { method: 'POST', body: trigger({ sessionId: 0x103, serverPassword: 'x' }) });
      assert.equal(rejected.status, 400);
      await web.close();
    } finally {
      await server.close();
    }
  });
});

describe('DeviceAgent alerts', () => {
  it('starts a session to deliver a generic alert as soon as a management object queues it', async () => {
    const server = await startFakeDmServer(simpleServer());
    try {
      const a = agent(server);
      let reported!: () => void;
      const delivered = new Promise<void>((resolve) => { reported = resolve; });
      a.alerts.queueGenericAlert({ source: './FwUpdate/x', type: 'org.openmobilealliance.dm.firmwareupdate.update', data: '200' });
      const poll = setInterval(() => { if (server.requests.length >= 1 && a.alerts.size === 0) reported(); }, 5);
      const guard = setTimeout(() => reported(), 3000);
      await delivered;
      clearInterval(poll);
      clearTimeout(guard);
      assert.equal(a.alerts.size, 0, 'the alert was acknowledged and dropped');
      const ga = server.requests[0]?.message?.body.commands.find((c): c is AlertCommand => c.kind === 'Alert' && c.data === 1226);
      assert.equal(ga?.items[0]?.meta?.type, 'org.openmobilealliance.dm.firmwareupdate.update');
    } finally {
      await server.close();
    }
  });
});
