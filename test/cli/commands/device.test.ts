import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceFileName } from '../../../src/client/tree/tree-store.js';
import { CLI_ENTRY, runCli } from '../../helpers/cli-process.js';
import { bootstrapPushFor, sampleW7ServerCred } from '../../helpers/cp-device.js';
import { hdrStatus, okStatuses, reply, startFakeDmServer } from '../../helpers/fake-dm-server.js';

/** A long-running CLI child and a way to wait for its output. */
function omadmChild(args: readonly string[]): { child: ChildProcessWithoutNullStreams; waitFor(re: RegExp): Promise<RegExpMatchArray>; stderr(): string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args]);
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const w of waiters) w();
  });
  return {
    child,
    stderr: () => stderr,
    waitFor: (re) => new Promise((resolve) => {
      const check = (): void => {
        const m = re.exec(stdout);
        if (m) resolve(m);
      };
      waiters.push(check);
      check();
    }),
  };
}

/** An error line: exactly one line, prefixed, no stack trace. */
function oneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0] ?? '', /^omadm: /);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

describe('omadm device', () => {
  it('runs one session against a server and prints one line about it', async () => {
    const server = await startFakeDmServer((req, i) => ({ message: reply(req, { msgId: i + 1, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) }));
    try {
      const r = await runCli(['device', '--server', server.url, '--id', 'IMEI:356938035643809', '--auth', 'none']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^IMEI:356938035643809: session \d+ with omadm \(DM 1\.2\): ok, 1 message sent/);
      assert.equal(server.requests[0]?.message?.header.source.locUri, 'IMEI:356938035643809');
    } finally {
      await server.close();
    }
  });

  it('sends WBXML and DM 1.1.2 when asked', async () => {
    const server = await startFakeDmServer((req, i) => ({ message: reply(req, { msgId: i + 1, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) }));
    try {
      const r = await runCli(['device', '--server', server.url, '--auth', 'none', '--encoding', 'wbxml', '--proto', '1.1']);
      assert.equal(r.code, 0, r.err);
      assert.equal(server.requests[0]?.encoding, 'wbxml');
      assert.equal(server.requests[0]?.message?.header.verProto, 'DM/1.1');
    } finally {
      await server.close();
    }
  });

  it('fails with one line and a non-zero exit when the server refuses the credentials', async () => {
    const server = await startFakeDmServer((req, i) => ({ message: reply(req, { msgId: i + 1, commands: [hdrStatus(req, 401, { chal: { meta: { type: 'syncml:auth-basic', format: 'b64' } } })] }) }));
    try {
      const r = await runCli(['device', '--server', server.url, '--auth', 'basic', '--user', 'dev1', '--password', 'wrong']);
      assert.equal(r.code, 1);
      oneLine(r.err, /refused the client credentials \(SyncHdr Status 401\)/);
      // A user name Basic cannot carry is a configuration error, said as much.
      const colon = await runCli(['device', '--server', server.url, '--auth', 'basic', '--user', 'IMEI:1', '--password', 'x']);
      assert.equal(colon.code, 1);
      oneLine(colon.err, /cannot send syncml:auth-basic credentials for user "IMEI:1": .*must not contain ":"/);
    } finally {
      await server.close();
    }
  });

  it('fails with one line on server errors and unreachable servers', async () => {
    const server = await startFakeDmServer(() => ({ status: 500 }));
    try {
      const r = await runCli(['device', '--server', server.url, '--auth', 'none', '--retries', '1', '--backoff', '1']);
      assert.equal(r.code, 1);
      oneLine(r.err, /server answered HTTP 500 \(gave up after 2 attempts\)/);
    } finally {
      await server.close();
    }
    const down = await runCli(['device', '--server', 'http://127.0.0.1:9/dm', '--retries', '0']);
    assert.equal(down.code, 1);
    oneLine(down.err, /cannot reach http:\/\/127\.0\.0\.1:9\/dm: .*ECONNREFUSED/);
  });

  it('rejects bad options with one line', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['device', '--server', 'dm.example.com'], /--server "dm\.example\.com" is not a URL/],
      [['device', '--server', 'ftp://dm/'], /--server must be an http:\/\/ or https:\/\/ URL/],
      [['device', '--server', 'http://x/', '--encoding', 'json'], /--encoding must be xml or wbxml/],
      [['device', '--server', 'http://x/', '--proto', '2.0'], /--proto must be 1\.1 or 1\.2/],
      [['device', '--server', 'http://x/', '--profile', '/no/such/file.json'], /cannot read profile \/no\/such\/file\.json: ENOENT/],
      [['device', '--server', 'http://x/', '--ca', '/no/such/ca.pem'], /cannot read --ca/],
      [['device', '--server', 'http://x/', '--listen', '--udp-port', '70000'], /--udp-port must be an integer from 0 to 65535/],
      [['device', '--id', 'IMEI:1'], /missing --server <url>/],
      [['device', '--listen', '--imsi', '12ab'], /--imsi must be 5 to 15 digits/],
      [['device', '--listen', '--pin', ''], /--pin must be 1 to 40 digits/],
      [['device', '--server', 'http://x/', '--failure-profile', '/no/such/fp.json'], /cannot read --failure-profile \/no\/such\/fp\.json: ENOENT/],
      [['simulate', '--count', '2'], /missing --server <url>/],
      [['simulate', '--server', 'http://x/', '--count', 'many'], /--count must be an integer/],
    ];
    for (const [args, pattern] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 1, `${args.join(' ')} → ${r.err}`);
      oneLine(r.err, pattern);
    }
  });
});

describe('omadm device --listen', () => {
  it('waits for Package 0 on an HTTP port, runs the session it asks for, and stops cleanly on SIGINT', async () => {
    const server = await startFakeDmServer((req, i) => ({ message: reply(req, { msgId: i + 1, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) }));
    const run = omadmChild(['device', '--server', server.url, '--auth', 'none', '--server-password', 'spw', '--listen', '--http-port', '0', '--check-in', '0']);
    try {
      const [, port] = await run.waitFor(/listening for Package 0 on http port (\d+)/);
      const { encodeNotification } = await import('../../../src/core/notification/package0.js');
      const trigger = encodeNotification({ serverId: 'omadm', serverPassword: 'spw', serverNonce: new Uint8Array(0), sessionId: 0xbeef });
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: trigger });
      assert.equal(res.status, 202);
      await run.waitFor(/session BEEF with omadm \(DM 1\.2\): ok/);
      const exited = new Promise<number | null>((resolve) => run.child.on('close', resolve));
      run.child.kill('SIGINT');
      assert.equal(await exited, 0, run.stderr());
      assert.equal(server.requests[0]?.message?.header.sessionId, 'BEEF');
    } finally {
      run.child.kill();
      await server.close();
    }
  });
});

describe('omadm device --listen without an account', () => {
  it('waits for a bootstrap push, installs it with the --pin the user types, opens the INIT session and keeps the account in --state', async () => {
    const cred = sampleW7ServerCred();
    const server = await startFakeDmServer((req, i) => ({ message: reply(req, { msgId: i + 1, cred, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) }));
    const state = await mkdtemp(join(tmpdir(), 'omadm-device-'));
    const run = omadmChild(['device', '--listen', '--http-port', '0', '--check-in', '0', '--state', state, '--id', 'IMEI:490154203237518', '--pin', '2468']);
    try {
      const [, port] = await run.waitFor(/listening for Package 0 on http port (\d+) \(no DM account yet: waiting for a bootstrap push\)/);
      // A wrong PIN first: refused, nothing installed.
      const wrong = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: bootstrapPushFor(server.url, { init: true, pin: '1111' }) });
      assert.equal(wrong.status, 400);
      await run.waitFor(/bootstrap push refused: USERPIN MAC check failed.*\[ERR_CP_MAC_INVALID\]/);
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: bootstrapPushFor(server.url, { init: true, pin: '2468' }) });
      assert.equal(res.status, 202);
      await run.waitFor(/IMEI:490154203237518: bootstrap push installed \(USERPIN\): DM account for dm\.example\.com \(INIT\)/);
      await run.waitFor(/IMEI:490154203237518: session \d+ with dm\.example\.com \(DM 1\.2\): ok/);
      const exited = new Promise<number | null>((resolve) => run.child.on('close', resolve));
      run.child.kill('SIGINT');
      assert.equal(await exited, 0, run.stderr());
      assert.equal(server.requests.length, 1);
      const saved = await readFile(join(state, deviceFileName('IMEI:490154203237518')), 'utf8');
      assert.match(saved, /dm\.example\.com/, 'the installed account was saved with the tree');
    } finally {
      run.child.kill();
      await server.close();
      await rm(state, { recursive: true, force: true });
    }
  });

  it('checks a failure profile given with --failure-profile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omadm-fp-'));
    try {
      const file = join(dir, 'fp.json');
      await writeFile(file, JSON.stringify({ rate: 2 }));
      const r = await runCli(['simulate', '--server', 'http://127.0.0.1:9/dm', '--count', '1', '--failure-profile', file]);
      assert.equal(r.code, 1);
      oneLine(r.err, /--failure-profile .*fp\.json: failure profile: rate must be a number in 0\.\.1/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('omadm simulate', () => {
  it('runs N devices and prints the summary', async () => {
    const server = await startFakeDmServer((req) => ({ message: reply(req, { msgId: req.message?.header.msgId ?? 1, commands: [hdrStatus(req, 212), ...okStatuses(req)] }) }));
    try {
      const r = await runCli(['simulate', '--server', server.url, '--count', '12', '--concurrency', '4', '--auth', 'none']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^sessions: 12 ok, 0 failed \(12 total\) in [\d.]+ s\nlatency: p50 \d+ ms, p99 \d+ ms, max \d+ ms\n$/);
      assert.equal(new Set(server.requests.map((q) => q.message?.header.source.locUri)).size, 12);
    } finally {
      await server.close();
    }
  });

  it('exits non-zero with one line when sessions fail, after the summary', async () => {
    const server = await startFakeDmServer(() => ({ status: 503 }));
    try {
      const r = await runCli(['simulate', '--server', server.url, '--count', '3', '--auth', 'none', '--retries', '0']);
      assert.equal(r.code, 1);
      assert.match(r.out, /sessions: 0 ok, 3 failed/);
      oneLine(r.err, /3 of 3 sessions failed \(first cause: server answered HTTP 503/);
    } finally {
      await server.close();
    }
  });
});
