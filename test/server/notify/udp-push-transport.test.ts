import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import { decodeNotification } from '../../../src/core/notification/package0.js';
import { decodeWapPush } from '../../../src/core/notification/wap-push.js';
import { NotificationService } from '../../../src/server/notify/notification-service.js';
import { UdpPushTransport } from '../../../src/server/notify/udp-push-transport.js';
import { DeviceRegistry } from '../../../src/server/registry/device-registry.js';
import { deviceId, type DeviceRecord } from '../../../src/server/store/store.js';
import { sqliteFactory } from '../store/store-factories.js';

describe('UdpPushTransport', () => {
  it('delivers a Package 0 push to a real UDP listener on loopback', async () => {
    const listener = createSocket('udp4');
    listener.bind(0, '127.0.0.1');
    await once(listener, 'listening');
    const { port } = listener.address() as AddressInfo;
    const { store, dispose } = await sqliteFactory.create();
    const transport = new UdpPushTransport();
    try {
      const registry = new DeviceRegistry({ store });
      const id = deviceId('IMEI:udp');
      await registry.register({ id, pushAddress: { type: 'udp', host: '127.0.0.1', port }, server: { serverId: 'srv', serverPassword: 'pw' } });
      const service = new NotificationService({ store, transports: { udp: transport } });
      const received = once(listener, 'message') as Promise<[Buffer]>;
      const result = await service.wake(id, { uiMode: 1 });
      const [datagram] = await received;
      assert.deepEqual(new Uint8Array(datagram), result.push);
      const msg = decodeNotification(decodeWapPush(new Uint8Array(datagram)).body);
      assert.deepEqual([msg.serverId, msg.sessionId, msg.uiMode], ['srv', result.dmSessionId, 1]);
    } finally {
      await transport.close();
      listener.close();
      await dispose();
    }
  });

  it('refuses a device without a UDP push address', async () => {
    const transport = new UdpPushTransport();
    const device: DeviceRecord = { id: deviceId('IMEI:x'), devInfo: {}, devDetail: {}, groups: [], tags: {}, createdAt: 1, updatedAt: 1, pushAddress: { type: 'sms', msisdn: '1' } };
    await assert.rejects(transport.send(device, new Uint8Array([1])), { code: ErrorCode.ERR_NOTIFY_NO_ADDRESS });
    await transport.close();
  });
});
