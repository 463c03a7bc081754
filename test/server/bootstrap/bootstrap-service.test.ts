import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { DmError, ErrorCode } from '../../../src/core/errors.js';
import { decodeCpPush } from '../../../src/core/provisioning/cp-push.js';
import { verifyCpMac } from '../../../src/core/provisioning/cp-security.js';
import { decodeCpWbxml } from '../../../src/core/provisioning/cp-wbxml.js';
import { findW7, parseW7, validateW7 } from '../../../src/core/provisioning/w7.js';
import { installApiErrorHandlers } from '../../../src/server/api/api-errors.js';
import { registerBootstrapRoutes, type BootstrapDto } from '../../../src/server/bootstrap/bootstrap-routes.js';
import { BootstrapService } from '../../../src/server/bootstrap/bootstrap-service.js';
import type { PushTransport } from '../../../src/server/notify/push-transport.js';
import { deviceId, type DeviceRecord } from '../../../src/server/store/store.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

/** A push transport that keeps what it was asked to send. */
function capture(): PushTransport & { sent: { device: DeviceRecord; bytes: Uint8Array }[] } {
  const sent: { device: DeviceRecord; bytes: Uint8Array }[] = [];
  return { name: 'capture', sent, send: async (device, bytes) => void sent.push({ device, bytes }) };
}

const UDP = { type: 'udp', host: '127.0.0.1', port: 2948 } as const;
let ts: TestServer;
before(async () => { ts = await startTestServer({ serverId: 'dm.example.com' }); });
after(() => ts.close());

function service(transport = capture()): { bootstrap: BootstrapService; transport: ReturnType<typeof capture> } {
  return { transport, bootstrap: new BootstrapService({ registry: ts.server.registry, transports: { udp: transport }, serverId: 'dm.example.com', serverUrl: `${ts.url}/dm` }) };
}

describe('BootstrapService', () => {
  it('registers a new device, stores its credentials and nonces, and pushes a signed w7 document', async () => {
    const { bootstrap, transport } = service();
    const id = deviceId('IMEI:490154203237518');
    const r = await bootstrap.bootstrap(id, { pushAddress: UDP, description: 'Enter PIN' });
    assert.equal(r.registered, true);
    assert.equal(r.sec, 'USERPIN');
    assert.match(r.pin ?? '', /^\d{6}$/);
    assert.equal(r.username, 'IMEI-490154203237518');
    assert.equal(transport.sent.length, 1);
    const push = decodeCpPush(transport.sent[0]?.bytes ?? new Uint8Array());
    assert.equal(push.description, 'Enter PIN');
    assert.equal(verifyCpMac({ sec: 'USERPIN', userPin: r.pin ?? '', document: push.body, mac: push.mac }), true);
    const [c] = findW7(decodeCpWbxml(push.body));
    assert.ok(c);
    assert.deepEqual(validateW7(c), []);
    const app = parseW7(c);
    assert.equal(app.providerId, 'dm.example.com');
    assert.equal(app.init, true);
    assert.deepEqual(app.addresses, [{ addr: `${ts.url}/dm`, ports: [] }]);
    const ctx = await ts.server.registry.getAuthContext(id);
    assert.equal(ctx?.client?.username, r.username);
    assert.equal(ctx?.server?.serverId, 'dm.example.com');
    const [appsrv, client] = app.appAuths;
    assert.equal(appsrv?.data, Buffer.from(ctx?.clientNonce ?? []).toString('base64'));
    assert.equal(client?.data, Buffer.from(ctx?.serverNonce ?? []).toString('base64'));
    assert.equal(Buffer.from(appsrv?.secret ?? '', 'base64url').length, 16, 'a 128-bit client password');
  });

  it('issues new secrets on every bootstrap of the same device', async () => {
    const { bootstrap } = service();
    const id = deviceId('dev-again');
    const a = parseW7(findW7(decodeCpWbxml((await bootstrap.bootstrap(id, { pushAddress: UDP })).body))[0]!);
    const b = parseW7(findW7(decodeCpWbxml((await bootstrap.bootstrap(id)).body))[0]!);
    assert.notEqual(a.appAuths[0]?.secret, b.appAuths[0]?.secret);
    assert.notEqual(a.appAuths[1]?.data, b.appAuths[1]?.data);
  });

  it('signs with the IMSI or a USERPINMAC PIN, and sends nothing when asked only to build', async () => {
    const { bootstrap, transport } = service();
    const net = await bootstrap.bootstrap(deviceId('dev-net'), { sec: 'NETWPIN', imsi: '001010123456789', deliver: false });
    assert.equal(transport.sent.length, 0);
    assert.equal(net.pin, undefined);
    assert.equal(verifyCpMac({ sec: 'NETWPIN', imsi: '001010123456789', document: net.body, mac: net.mac }), true);
    const pm = await bootstrap.bootstrap(deviceId('dev-pinmac'), { sec: 'USERPINMAC', pin: '13579', deliver: false });
    assert.match(pm.pin ?? '', /^13579\d{5}$/);
    assert.equal(verifyCpMac({ sec: 'USERPINMAC', userPin: pm.pin ?? '', document: pm.body, mac: pm.mac }), true);
    const none = await bootstrap.bootstrap(deviceId('dev-unsigned'), { sec: 'none', deliver: false, format: 'xml' });
    assert.equal(none.mac, undefined);
    assert.ok(Buffer.from(none.body).toString('utf8').includes('<parm name="APPID" value="w7"/>'));
  });

  it('refuses to bootstrap without what it needs', async () => {
    const { bootstrap } = service();
    const bad = (code: ErrorCode) => (e: unknown): boolean => e instanceof DmError && e.code === code;
    await assert.rejects(bootstrap.bootstrap(deviceId('nowhere')), bad(ErrorCode.ERR_CONFIG_INVALID));
    await assert.rejects(bootstrap.bootstrap(deviceId('no-imsi'), { sec: 'NETWPIN', pushAddress: UDP }), bad(ErrorCode.ERR_CONFIG_INVALID));
    await assert.rejects(bootstrap.bootstrap(deviceId('by-sms'), { pushAddress: { type: 'sms', msisdn: '+15550100' } }), bad(ErrorCode.ERR_NOTIFY_NO_ADDRESS));
    const noUrl = new BootstrapService({ registry: ts.server.registry, transports: {}, serverId: 's' });
    await assert.rejects(noUrl.bootstrap(deviceId('x'), { deliver: false }), bad(ErrorCode.ERR_CONFIG_INVALID));
  });

  it('reports a transport failure as ERR_NOTIFY_TRANSPORT', async () => {
    const failing: PushTransport = { name: 'broken', send: async () => { throw new Error('gateway down'); } };
    const bootstrap = new BootstrapService({ registry: ts.server.registry, transports: { udp: failing }, serverId: 's', serverUrl: 'http://x/dm' });
    await assert.rejects(bootstrap.bootstrap(deviceId('dev-fail'), { pushAddress: UDP }),
      (e: unknown) => e instanceof DmError && e.code === ErrorCode.ERR_NOTIFY_TRANSPORT && e.message.includes('gateway down'));
  });
});

describe('POST /api/devices/:id/bootstrap', () => {
  it('bootstraps through the REST route and answers validation errors with 400', async () => {
    const app = Fastify();
    installApiErrorHandlers(app);
    const { bootstrap, transport } = service();
    registerBootstrapRoutes(app, { bootstrap });
    const ok = await app.inject({ method: 'POST', url: '/api/devices/rest-1/bootstrap', payload: { pushAddress: UDP, sec: 'USERPIN', pin: '2468', name: 'Acme DM', role: 8 } });
    assert.equal(ok.statusCode, 200, ok.body);
    const dto = ok.json<BootstrapDto>();
    assert.equal(dto.pin, '2468');
    assert.equal(dto.transport, 'capture');
    assert.equal(dto.document, undefined);
    assert.equal(parseW7(findW7(decodeCpWbxml(decodeCpPush(transport.sent[0]?.bytes ?? new Uint8Array()).body))[0]!).name, 'Acme DM');
    const factory = await app.inject({ method: 'POST', url: '/api/devices/rest-2/bootstrap', payload: { deliver: false } });
    assert.equal(factory.statusCode, 200, factory.body);
    assert.ok((factory.json<BootstrapDto>().document ?? '').length > 0);
    const bad = await app.inject({ method: 'POST', url: '/api/devices/rest-3/bootstrap', payload: { sec: 'NETWPIN', deliver: false } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ error: { code: string } }>().error.code, 'ERR_API_VALIDATION');
    const wrongType = await app.inject({ method: 'POST', url: '/api/devices/rest-3/bootstrap', payload: { init: 'yes' } });
    assert.equal(wrongType.statusCode, 400);
    await app.close();
  });
});
