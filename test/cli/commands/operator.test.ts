import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveConfig } from '../../../src/cli/commands/serve.js';
import { resolveConnection } from '../../../src/cli/commands/operator.js';
import { writeServerInfo } from '../../../src/server/api/api-tokens.js';
import { runCli } from '../../helpers/cli-process.js';
import { TestDevice } from '../../helpers/dm-test-device.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

describe('operator commands', () => {
  let t: TestServer;
  let conn: string[];
  before(async () => {
    t = await startTestServer();
    conn = ['--url', t.url, '--token', t.token];
  });
  after(() => t.close());

  it('registers and lists devices', async () => {
    const add = await runCli(['device-add', 'cli-dev', '--password', 'pw', '--server-id', 'omadm', '--server-password', 'spw', ...conn]);
    assert.equal(add.code, 0, add.err);
    assert.equal(add.out, 'registered cli-dev\n');
    const list = await runCli(['devices'], { env: { OMADM_URL: t.url, OMADM_TOKEN: t.token } });
    assert.match(list.out, /^cli-dev .*never connected/m);
    const json = await runCli(['devices', '--json', ...conn]);
    assert.equal((JSON.parse(json.out) as { items: { id: string }[] }).items[0]?.id, 'cli-dev');
  });

  it('queues a Get, waits for the device to answer and prints the result', async () => {
    const dev = new TestDevice({ url: t.dmUrl, devId: 'cli-dev', auth: 'md5', password: 'pw', serverId: 'omadm', serverPassword: 'spw' });
    dev.tree.set('./DevDetail/FwV', { data: '3.1' });
    const pending = runCli(['get', 'cli-dev', './DevDetail/FwV', '--wait', '20', ...conn]);
    for (let i = 0; i < 100 && (await t.server.queue.list({ state: 'queued' })).items.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await dev.runSession();
    const r = await pending;
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Get done status 200\n {2}\.\/DevDetail\/FwV = 3\.1/);
    const jobs = await runCli(['jobs', 'cli-dev', ...conn]);
    assert.match(jobs.out, /Get done/);
    const rep = await runCli(['replace', 'cli-dev', './X', '5', '--format', 'int', ...conn]);
    assert.match(rep.out, /Replace queued/);
    const ex = await runCli(['exec', 'cli-dev', './FUMO/1/Update', '--correlator', 'abc', '--json', ...conn]);
    assert.equal((JSON.parse(ex.out) as { correlator: string }).correlator, 'abc');
  });

  it('fails with one clear error line for API errors and unreachable servers', async () => {
    const missing = await runCli(['wake', 'nobody', ...conn]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^omadm: .*ERR_REGISTRY_DEVICE_NOT_FOUND.*\n$/);
    const down = await runCli(['devices', '--url', 'http://127.0.0.1:1', '--token', 'x']);
    assert.equal(down.code, 1);
    assert.match(down.err, /cannot reach http:\/\/127\.0\.0\.1:1/);
    const badToken = await runCli(['devices', '--url', t.url, '--token', 'omadm_wrong']);
    assert.match(badToken.err, /ERR_API_UNAUTHORIZED/);
    assert.equal(badToken.err.split('\n').filter(Boolean).length, 1, 'one line');
  });

  it('finds the URL and token from the environment or the file serve wrote beside the database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omadm-cli-'));
    try {
      const db = join(dir, 'omadm.db');
      writeServerInfo(`${db}.server.json`, { url: 'http://127.0.0.1:9/', token: 'file-token', pid: 1 });
      assert.deepEqual(resolveConnection({ db }, {}), { url: 'http://127.0.0.1:9', token: 'file-token' });
      assert.deepEqual(resolveConnection({ db }, { OMADM_URL: 'http://h:1', OMADM_TOKEN: 'env' }), { url: 'http://h:1', token: 'env' });
      assert.deepEqual(resolveConnection({ db, token: 'flag' }, { OMADM_TOKEN: 'env' }).token, 'flag');
      assert.throws(() => resolveConnection({ db: join(dir, 'none.db') }, {}), /no server URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the serve configuration from flags over the config file', () => {
    const c = serveConfig({ port: '0', host: '0.0.0.0', db: 'x.db', tlsCert: 'c.pem', tlsKey: 'k.pem', demo: '3' });
    assert.equal(c.port, 0);
    assert.equal(c.tls?.certFile, 'c.pem');
    assert.equal(c.demo, 3);
    assert.throws(() => serveConfig({ tlsCert: 'c.pem' }), /both --tls-cert and --tls-key/);
    assert.throws(() => serveConfig({ port: 'x' }), /--port must be a whole number/);
  });
});
