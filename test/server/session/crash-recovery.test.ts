import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncMLMessage } from '../../../src/core/syncml/message.js';
import type { JobDto } from '../../../src/server/api/dto.js';
import { TestDevice } from '../../helpers/dm-test-device.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';

async function api<T>(p: ServerProcess, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${p.url}${path}`, {
    method, headers: { authorization: `Bearer ${p.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  assert.ok(res.ok, `${method} ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Points a RespURI at the restarted server (what a load balancer would do for the node id in it). */
function reroute(uri: string | undefined, to: string): string {
  const u = new URL(uri ?? '');
  return `${to}${u.pathname}`;
}

describe('server crash recovery', () => {
  it('loses no job and no result when killed with SIGKILL between packages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omadm-crash-'));
    const db = join(dir, 'omadm.db');
    const cfg = join(dir, 'config.json');
    const shortCfg = join(dir, 'short.json');
    writeFileSync(cfg, JSON.stringify({ session: { idleTimeoutMs: 60_000 }, auth: { defaultServerPassword: 'server-secret' } }));
    writeFileSync(shortCfg, JSON.stringify({ session: { idleTimeoutMs: 300 }, auth: { defaultServerPassword: 'server-secret' } }));
    let p = await startServerProcess(db, ['--config', cfg]);
    try {
      await api(p, 'POST', '/api/devices', { id: 'crashy', client: { username: 'crashy', password: 'pw' } });
      const get = await api<JobDto>(p, 'POST', '/api/jobs', { deviceId: 'crashy', command: { kind: 'Get', uris: ['./DevDetail/FwV'] } });
      const rep = await api<JobDto>(p, 'POST', '/api/jobs', { deviceId: 'crashy', command: { kind: 'Replace', items: [{ uri: './Vendor/K', data: 'v' }] } });
      const dev = new TestDevice({ url: `${p.url}/dm`, devId: 'crashy', auth: 'md5', password: 'pw', serverId: 'omadm', serverPassword: 'server-secret' });
      dev.tree.set('./DevDetail/FwV', { data: '9.9' });
      dev.newSession();
      await dev.send(dev.package1()); // 401 + nonce
      const p2 = (await dev.send(dev.package1())).reply as SyncMLMessage;
      assert.equal(p2.body.commands.filter((c) => c.kind !== 'Status').length, 2);

      // Crash between Package 2 and Package 3, restart on the same database.
      await p.kill();
      p = await startServerProcess(db, ['--config', cfg]);
      dev.respUri = reroute(dev.respUri, p.url);
      const p4 = await dev.send(dev.respond(p2));
      assert.equal(p4.status, 200);
      assert.equal(p4.reply?.body.final, true);
      const g = await api<JobDto>(p, 'GET', `/api/jobs/${get.id}`);
      assert.equal(g.state, 'done');
      assert.equal(g.results[0]?.data, '9.9');
      assert.equal((await api<JobDto>(p, 'GET', `/api/jobs/${rep.id}`)).state, 'done');

      // Crash after Package 2 and the device never comes back to that session: the job is requeued
      // (idle timeout) and delivered again in the next session.
      const again = await api<JobDto>(p, 'POST', '/api/jobs', { deviceId: 'crashy', command: { kind: 'Get', uris: ['./DevDetail/FwV'] } });
      const nonces = (d: TestDevice) => ({ clientNonce: Buffer.from(d.clientNonce ?? new Uint8Array()).toString('base64'), serverNonce: Buffer.from(d.serverNonce ?? new Uint8Array()).toString('base64') });
      const d1 = new TestDevice({ ...dev.o, url: `${p.url}/dm`, ...nonces(dev) });
      d1.sessionId = 5;
      d1.newSession();
      const q2 = (await d1.send(d1.package1())).reply as SyncMLMessage;
      assert.equal(q2.body.commands.filter((c) => c.kind === 'Get').length, 1);
      await p.kill();
      await new Promise((r) => setTimeout(r, 400));
      p = await startServerProcess(db, ['--config', shortCfg]);
      assert.equal((await api<JobDto>(p, 'GET', `/api/jobs/${again.id}`)).state, 'queued');
      const d2 = new TestDevice({ ...dev.o, url: `${p.url}/dm`, ...nonces(d1) });
      d2.tree.set('./DevDetail/FwV', { data: '9.9' });
      d2.sessionId = 10;
      await d2.runSession();
      const done = await api<JobDto>(p, 'GET', `/api/jobs/${again.id}`);
      assert.equal(done.state, 'done');
      assert.equal(done.attempts, 2);
    } finally {
      await p.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
