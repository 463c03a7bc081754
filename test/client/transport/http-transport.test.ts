import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { HttpTransport } from '../../../src/client/transport/http-transport.js';
import { TransportError } from '../../../src/client/transport/transport.js';
import { startFakeDmServer } from '../../helpers/fake-dm-server.js';

const tls = (name: string): Buffer => readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url));

describe('HttpTransport', () => {
  const transport = new HttpTransport({ timeoutMs: 2000 });
  after(() => transport.close());

  it('POSTs the body with the DM content type and extra headers, and returns status, body and content type', async () => {
    const server = await startFakeDmServer(() => ({ status: 200, body: 'pong', headers: { 'content-type': 'application/vnd.syncml.dm+wbxml' } }));
    try {
      const res = await transport.send({ url: server.url, body: new Uint8Array([0x3c, 0x61, 0x2f, 0x3e]), contentType: 'application/vnd.syncml.dm+xml', headers: { 'x-syncml-hmac': 'algorithm=MD5, username="u", mac=x' } });
      assert.equal(res.status, 200);
      assert.equal(Buffer.from(res.body).toString(), 'pong');
      assert.equal(res.contentType, 'application/vnd.syncml.dm+wbxml');
      const req = server.requests[0];
      assert.equal(req?.contentType, 'application/vnd.syncml.dm+xml');
      assert.equal(req?.headers['x-syncml-hmac'], 'algorithm=MD5, username="u", mac=x');
      assert.equal(Buffer.from(req?.body ?? []).toString(), '<a/>');
    } finally {
      await server.close();
    }
  });

  it('reuses one kept-alive connection for the messages of a session', async () => {
    const server = await startFakeDmServer(() => ({ status: 200, body: 'ok' }));
    try {
      for (let i = 0; i < 3; i++) await transport.send({ url: server.url, body: new Uint8Array([1]), contentType: 'application/vnd.syncml.dm+xml' });
      const ports = new Set(server.requests.map((r) => r.remotePort));
      assert.equal(server.requests.length, 3);
      assert.ok(server.requests.every((r) => r.headers.connection === 'keep-alive'));
      assert.equal(ports.size, 1);
    } finally {
      await server.close();
    }
  });

  it('resolves with non-2xx statuses (the retry layer decides) and rejects a refused connection with a one-line error', async () => {
    const server = await startFakeDmServer(() => ({ status: 503, body: 'busy' }));
    const url = server.url;
    try {
      assert.equal((await transport.send({ url, body: new Uint8Array(), contentType: 'x' })).status, 503);
    } finally {
      await server.close();
    }
    await assert.rejects(transport.send({ url, body: new Uint8Array(), contentType: 'x' }), (err: unknown) => {
      assert.ok(err instanceof TransportError);
      assert.equal(err.code, 'ERR_TRANSPORT_UNREACHABLE');
      assert.match(err.message, /^cannot reach http:\/\/127\.0\.0\.1:\d+\/dm: .*ECONNREFUSED/);
      return true;
    });
  });

  it('rejects a malformed URL and an unsupported scheme without a network call', async () => {
    await assert.rejects(transport.send({ url: 'not a url', body: new Uint8Array(), contentType: 'x' }), /is not a valid URL/);
    await assert.rejects(transport.send({ url: 'ftp://example.com/', body: new Uint8Array(), contentType: 'x' }), /unsupported URL scheme "ftp:"/);
  });

  it('talks HTTPS to a server whose certificate chains to a custom root CA, and refuses it without that CA', async () => {
    const server = https.createServer({ key: tls('server-key.pem'), cert: tls('server.pem') }, (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/vnd.syncml.dm+xml' }).end('<ok/>'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/dm`;
    const trusting = new HttpTransport({ ca: tls('ca.pem').toString() });
    const plain = new HttpTransport({ keepAlive: false });
    try {
      const res = await trusting.send({ url, body: new Uint8Array([1]), contentType: 'application/vnd.syncml.dm+xml' });
      assert.equal(Buffer.from(res.body).toString(), '<ok/>');
      await assert.rejects(plain.send({ url, body: new Uint8Array([1]), contentType: 'x' }), (err: unknown) => err instanceof TransportError && /certificate/i.test(err.message));
    } finally {
      trusting.close();
      plain.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
