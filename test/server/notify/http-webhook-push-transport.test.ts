import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import { HttpWebhookPushTransport } from '../../../src/server/notify/http-webhook-push-transport.js';
import { deviceId, type DeviceRecord } from '../../../src/server/store/store.js';

const device: DeviceRecord = {
  id: deviceId('IMEI:490154203237518'), devInfo: {}, devDetail: {}, groups: [], tags: {}, createdAt: 1, updatedAt: 1,
  pushAddress: { type: 'sms', msisdn: '+15550100' },
};

describe('HttpWebhookPushTransport', () => {
  let server: Server;
  let url: string;
  let requests: { headers: IncomingHttpHeaders; body: Buffer }[];
  let answers: { status: number; headers?: Record<string, string> }[];
  beforeEach(async () => {
    requests = [];
    answers = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ headers: req.headers, body: Buffer.concat(chunks) });
        const a = answers.shift() ?? { status: 204 };
        res.writeHead(a.status, a.headers).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  afterEach(async () => {
    server.close();
    await once(server, 'close');
  });

  it('posts the push bytes as application/octet-stream with device id, MSISDN and WDP port headers', async () => {
    const transport = new HttpWebhookPushTransport({ url, headers: { authorization: 'Bearer k' } });
    const bytes = new Uint8Array([0x00, 0x06, 0x44, 0xff]);
    await transport.send(device, bytes);
    assert.equal(requests.length, 1);
    const r = requests[0];
    assert.deepEqual(new Uint8Array(r?.body ?? []), bytes);
    assert.equal(r?.headers['content-type'], 'application/octet-stream');
    assert.equal(r?.headers['x-omadm-device-id'], device.id);
    assert.equal(r?.headers['x-omadm-msisdn'], '+15550100');
    assert.equal(r?.headers['x-omadm-wdp-port'], '2948');
    assert.equal(r?.headers['x-omadm-content-type'], 'application/vnd.syncml.notification');
    assert.equal(r?.headers.authorization, 'Bearer k');
  });

  it('retries 5xx and 429 with exponential back-off and honours Retry-After', async () => {
    answers.push({ status: 503 }, { status: 429, headers: { 'retry-after': '2' } }, { status: 500 }, { status: 200 });
    const delays: number[] = [];
    const transport = new HttpWebhookPushTransport({ url, attempts: 4, backoffMs: 100, sleep: async (ms) => { delays.push(ms); } });
    await transport.send(device, new Uint8Array([1]));
    assert.equal(requests.length, 4);
    assert.deepEqual(delays, [100, 2000, 400]);
  });

  it('gives up after the last attempt with ERR_NOTIFY_TRANSPORT', async () => {
    answers.push({ status: 502 }, { status: 502 }, { status: 502 });
    const transport = new HttpWebhookPushTransport({ url, attempts: 3, backoffMs: 10, maxBackoffMs: 15, sleep: async () => {} });
    await assert.rejects(transport.send(device, new Uint8Array([1])), { code: ErrorCode.ERR_NOTIFY_TRANSPORT, message: /HTTP 502/ });
    assert.equal(requests.length, 3);
  });

  it('does not retry a client error', async () => {
    answers.push({ status: 400 });
    const transport = new HttpWebhookPushTransport({ url, sleep: async () => assert.fail('no retry expected') });
    await assert.rejects(transport.send(device, new Uint8Array([1])), { code: ErrorCode.ERR_NOTIFY_TRANSPORT });
    assert.equal(requests.length, 1);
  });

  it('retries when the gateway cannot be reached', async () => {
    server.close();
    await once(server, 'close');
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    let calls = 0;
    const transport = new HttpWebhookPushTransport({ url, attempts: 2, sleep: async () => { calls++; } });
    await assert.rejects(transport.send(device, new Uint8Array([1])), { code: ErrorCode.ERR_NOTIFY_TRANSPORT });
    assert.equal(calls, 1);
  });
});
