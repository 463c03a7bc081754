import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deviceId } from '../../../src/server/store/store.js';
import { startTestServer } from '../../helpers/test-server.js';

describe('WebhookDispatcher', () => {
  it('POSTs subscribed events as signed JSON and retries a failing hook', async () => {
    const received: { body: string; sig: string | undefined; type: string | undefined }[] = [];
    let failFirst = true;
    const hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (failFirst) {
          failFirst = false;
          res.writeHead(503).end();
          return;
        }
        received.push({ body, sig: req.headers['x-omadm-signature'] as string | undefined, type: req.headers['x-omadm-event'] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const t = await startTestServer({ webhooks: [{ url, secret: 's3cret', events: ['device.registered'] }] });
    try {
      await t.server.registry.register({ id: deviceId('hooked') });
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(received.length, 1, 'delivered once after one retry');
      const r = received[0];
      assert.equal(r?.type, 'device.registered');
      assert.equal(JSON.parse(r?.body ?? '{}').deviceId, 'hooked');
      assert.equal(r?.sig, `sha256=${createHmac('sha256', 's3cret').update(r?.body ?? '').digest('hex')}`);
    } finally {
      await t.close();
      hook.close();
    }
  });
});
