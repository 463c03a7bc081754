import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, backOffDelay, sendWithRetry, type Sleep } from '../../../src/client/transport/retry.js';
import { TransportError, type DmTransport, type TransportResponse } from '../../../src/client/transport/transport.js';

/** A fake clock: sleeping only advances it. */
function fakeClock(): { now: () => number; sleep: Sleep; waits: number[] } {
  let t = 0;
  const waits: number[] = [];
  return { now: () => t, waits, sleep: async (ms) => { waits.push(ms); t += ms; } };
}

/** A transport that plays a script of statuses (or 'down' for a connection failure). */
function scripted(steps: Array<number | 'down'>): DmTransport & { bodies: Uint8Array[] } {
  const bodies: Uint8Array[] = [];
  let i = 0;
  return {
    bodies,
    async send(req): Promise<TransportResponse> {
      bodies.push(req.body);
      const step = steps[i++] ?? 200;
      if (step === 'down') throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      return { status: step, body: new Uint8Array([step & 0xff]), headers: {} };
    },
    close() {},
  };
}

const request = { url: 'http://127.0.0.1:1/dm', body: new Uint8Array([1, 2, 3]), contentType: 'application/vnd.syncml.dm+xml' };

describe('backOffDelay', () => {
  it('doubles from the initial wait and stops at the maximum', () => {
    const p = { retries: 6, initialBackOffMs: 16_000, maxBackOffMs: 100_000 };
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backOffDelay(p, n)), [16_000, 32_000, 64_000, 100_000, 100_000]);
    assert.equal(backOffDelay(DEFAULT_RETRY_POLICY, 1), 16_000);
  });
});

describe('sendWithRetry', () => {
  it('retries connection failures and 404/408/413/500/503/504 with exponential back-off, resending the same bytes', async () => {
    const clock = fakeClock();
    const t = scripted(['down', 503, 500, 200]);
    const res = await sendWithRetry(t, request, { policy: { retries: 3, initialBackOffMs: 1000, maxBackOffMs: 3000 }, sleep: clock.sleep });
    assert.equal(res.status, 200);
    assert.deepEqual(clock.waits, [1000, 2000, 3000]);
    assert.equal(clock.now(), 6000);
    assert.ok(t.bodies.every((b) => b === request.body));
    for (const s of [404, 408, 413, 504]) {
      const c = fakeClock();
      assert.equal((await sendWithRetry(scripted([s, 200]), request, { sleep: c.sleep })).status, 200);
      assert.deepEqual(c.waits, [16_000]);
    }
  });

  it('gives up after CONNRETRYFREQ retries with a one-line error naming the attempts', async () => {
    const clock = fakeClock();
    const t = scripted(['down', 'down', 'down', 'down', 'down']);
    await assert.rejects(sendWithRetry(t, request, { sleep: clock.sleep }), (err: unknown) => {
      assert.ok(err instanceof TransportError);
      assert.equal(err.code, 'ERR_TRANSPORT_UNREACHABLE');
      assert.match(err.message, /cannot reach http:\/\/127\.0\.0\.1:1\/dm: .*ECONNREFUSED.*\(gave up after 4 attempts\)$/);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
    assert.equal(t.bodies.length, 4);
    assert.deepEqual(clock.waits, [16_000, 32_000, 64_000]);
  });

  it('fails at once on an HTTP status that is not retried', async () => {
    const clock = fakeClock();
    await assert.rejects(sendWithRetry(scripted([401]), request, { sleep: clock.sleep }), (err: unknown) => {
      assert.ok(err instanceof TransportError);
      assert.equal(err.status, 401);
      assert.equal(err.code, 'ERR_TRANSPORT_HTTP_STATUS');
      return true;
    });
    assert.deepEqual(clock.waits, []);
  });

  it('reports each retry before waiting', async () => {
    const seen: Array<{ attempt: number; delayMs: number }> = [];
    await sendWithRetry(scripted([503, 200]), request, { sleep: fakeClock().sleep, onRetry: ({ attempt, delayMs }) => seen.push({ attempt, delayMs }) });
    assert.deepEqual(seen, [{ attempt: 1, delayMs: 16_000 }]);
  });
});
