import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import { decodeNotification, verifyNotification } from '../../../src/core/notification/package0.js';
import { decodeWapPush } from '../../../src/core/notification/wap-push.js';
import { EventLog } from '../../../src/server/events/event-log.js';
import { NotificationService } from '../../../src/server/notify/notification-service.js';
import type { PushTransport } from '../../../src/server/notify/push-transport.js';
import { DeviceRegistry } from '../../../src/server/registry/device-registry.js';
import { deviceId, type DeviceRecord, type EventRecord, type ServerStore } from '../../../src/server/store/store.js';
import { fakeClock, storeFactories } from '../store/store-factories.js';

/** Records what it is asked to send; fails when told to. */
class RecordingTransport implements PushTransport {
  readonly name = 'recording';
  readonly sent: { device: DeviceRecord; bytes: Uint8Array }[] = [];
  fail = false;
  async send(device: DeviceRecord, bytes: Uint8Array): Promise<void> {
    if (this.fail) throw new Error('gateway down');
    this.sent.push({ device, bytes });
  }
}

for (const factory of storeFactories) {
  describe(`NotificationService on ${factory.name}`, () => {
    let store: ServerStore;
    let dispose: () => Promise<void>;
    let registry: DeviceRegistry;
    let transport: RecordingTransport;
    let service: NotificationService;
    let seen: EventRecord[];
    const clock = fakeClock();
    const id = deviceId('IMEI:wake');
    beforeEach(async () => {
      ({ store, dispose } = await factory.create());
      const events = new EventLog({ store, clock });
      seen = [];
      events.subscribe((e) => seen.push(e));
      registry = new DeviceRegistry({ store, clock });
      transport = new RecordingTransport();
      service = new NotificationService({ store, clock, events, transports: { sms: transport } });
      await registry.register({ id, pushAddress: { type: 'sms', msisdn: '+15550001' }, server: { serverId: 'omadm.example', serverPassword: 'srvpw' } });
    });
    afterEach(async () => dispose());

    it('sends a WAP push holding a Package 0 signed with the stored server secret and nonce', async () => {
      const nonce = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
      await registry.storeServerNonce(id, nonce);
      const result = await service.wake(id, { uiMode: 3 });
      assert.equal(transport.sent.length, 1);
      assert.deepEqual(transport.sent[0]?.bytes, result.push);
      const push = decodeWapPush(result.push);
      assert.equal(push.contentType, 0x44);
      assert.equal(push.applicationId, 0x07);
      assert.deepEqual(push.body, result.package0);
      const msg = decodeNotification(push.body);
      assert.deepEqual([msg.serverId, msg.sessionId, msg.uiMode, msg.initiator], ['omadm.example', result.dmSessionId, 3, 'server']);
      assert.deepEqual(verifyNotification(msg, { serverId: 'omadm.example', serverPassword: 'srvpw', serverNonce: nonce }), { ok: true, nonceResync: false });
      assert.equal(verifyNotification(msg, { serverPassword: 'srvpw', serverNonce: new Uint8Array([1]) }).ok, false);
    });

    it('announces a new SessionID on every wake and records it on the device', async () => {
      const a = await service.wake(id);
      clock.advance(10);
      const b = await service.wake(id);
      assert.equal(b.dmSessionId, a.dmSessionId + 1);
      assert.deepEqual((await registry.require(id)).lastNotification, { dmSessionId: b.dmSessionId, at: clock.now() });
      assert.deepEqual(seen.map((e) => e.type === 'notification.sent' && e.dmSessionId), [a.dmSessionId, b.dmSessionId]);
    });

    it('falls back to the resync nonce when the device never sent a server nonce', async () => {
      const r = await service.wake(id);
      const msg = decodeNotification(r.package0);
      assert.equal(verifyNotification(msg, { serverPassword: 'srvpw', serverNonce: new Uint8Array(4) }).ok, true);
    });

    it('names what is missing: device, server credential, push address or transport', async () => {
      await assert.rejects(service.wake(deviceId('IMEI:none')), { code: ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND });
      const noCred = deviceId('IMEI:nocred');
      await store.devices.insert({ id: noCred, createdAt: 1, pushAddress: { type: 'sms', msisdn: '1' } });
      await assert.rejects(service.wake(noCred), { code: ErrorCode.ERR_NOTIFY_NO_CREDENTIALS });
      const noAddr = deviceId('IMEI:noaddr');
      await registry.register({ id: noAddr, server: { serverId: 's', serverPassword: 'p' } });
      await assert.rejects(service.wake(noAddr), { code: ErrorCode.ERR_NOTIFY_NO_ADDRESS });
      await registry.update(noAddr, { pushAddress: { type: 'udp', host: '127.0.0.1', port: 9 } });
      await assert.rejects(service.wake(noAddr), { code: ErrorCode.ERR_NOTIFY_NO_ADDRESS });
    });

    it('reports a transport failure and logs it as an event', async () => {
      transport.fail = true;
      await assert.rejects(service.wake(id), { code: ErrorCode.ERR_NOTIFY_TRANSPORT });
      assert.deepEqual(seen.map((e) => e.type), ['notification.failed']);
    });
  });
}
