import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startDemoFleet } from '../../src/cli/demo-fleet.js';
import { deviceId, type DeviceId, type JobRecord } from '../../src/server/store/store.js';
import { runCli } from '../helpers/cli-process.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** What the demo fleet prints, with a way to wait for a line. */
function capture(): { stream: Writable; text(): string; waitFor(re: RegExp): Promise<RegExpMatchArray> } {
  let text = '';
  const waiters: Array<{ re: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = text.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      check();
      done();
    },
  });
  return {
    stream,
    text: () => text,
    waitFor: (re) => new Promise((resolve) => {
      waiters.push({ re, resolve });
      check();
    }),
  };
}

/** Whether the session that delivered `job` was one the device started in answer to a Package 0. */
async function deliveredByWake(t: TestServer, id: DeviceId, job: JobRecord): Promise<boolean> {
  const starts = await t.server.events.list({ deviceId: id, type: 'session.start', limit: 1000 });
  const start = starts.items.find((e) => e.type === 'session.start' && e.sessionId === job.sessionId);
  return start?.type === 'session.start' && start.initiator === 'server';
}

describe('omadm serve --demo', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('registers devices that listen for Package 0, so `omadm get --wake` is answered by a woken session, also after a restart', { timeout: 60_000 }, async () => {
    const out = capture();
    let stop = await startDemoFleet(t.server, 3, out.stream);
    try {
      const [, first] = await out.waitFor(/demo fleet: devices check in every 15 s and wake on Package 0, e\.g\. omadm wake (\S+)\n/);
      assert.match(out.text(), /demo fleet: 3\/3 devices checked in/);
      const devices = (await t.server.registry.list()).items;
      assert.equal(devices.length, 3);
      for (const d of devices) assert.deepEqual({ ...d.pushAddress, port: 0 }, { type: 'udp', host: '127.0.0.1', port: 0 }, `${d.id} has a loopback UDP push address`);
      assert.equal(new Set(devices.map((d) => (d.pushAddress?.type === 'udp' ? d.pushAddress.port : 0))).size, 3, 'a port per device');

      const conn = ['--url', t.url, '--token', t.token];
      const target = devices[2]?.id ?? deviceId('');
      const get = await runCli(['get', target, './DevInfo/DevId', '--wake', '--wait', '30', ...conn]);
      assert.equal(get.code, 0, get.err);
      assert.match(get.out, new RegExp(`Get done status 200\\n {2}\\./DevInfo/DevId = ${target}`));
      await out.waitFor(new RegExp(`demo fleet: ${target} woken by Package 0: session \\S+ with omadm \\(DM 1\\.2\\): ok`));
      const [job] = (await t.server.queue.list({ deviceId: target })).items;
      assert.ok(job && (await deliveredByWake(t, target, job)), 'the Get went out in the session the Package 0 started, not at a check-in');

      // A restart binds new ports: the devices already in the database get them, and wake still works.
      await stop();
      stop = await startDemoFleet(t.server, 3, out.stream);
      const id = deviceId(first ?? '');
      const again = await runCli(['get', id, './DevDetail/FwV', '--wake', '--wait', '30', ...conn]);
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /Get done status 200\n {2}\.\/DevDetail\/FwV = \S+/);
      const latest = (await t.server.queue.list({ deviceId: id })).items.at(-1);
      assert.ok(latest && (await deliveredByWake(t, id, latest)), 'delivered by the woken session after the restart');
    } finally {
      await stop();
    }
  });
});
