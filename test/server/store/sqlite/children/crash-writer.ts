// Child process of crash-safety.test.ts: writes jobs forever and prints an acknowledgement line
// after each write has been committed; the parent kills it with SIGKILL mid-way.
import { CommandQueue } from '../../../../../src/server/queue/command-queue.js';
import { SqliteStore } from '../../../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId, sessionId } from '../../../../../src/server/store/store.js';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-writer <db>');
const store = SqliteStore.open({ path });
const queue = new CommandQueue({ store });
const device = deviceId('IMEI:crash');
await store.devices.insert({ id: device, createdAt: Date.now() });
const session = sessionId('dead-session');
await store.sessions.open({
  id: session, deviceId: device, dmSessionId: '1', startedAt: Date.now(), lastMessageAt: Date.now(), lastMsgId: 1, ownerId: 'child', ownerPid: process.pid,
});
process.stdout.write('ready\n');
for (let i = 0; i < 1_000_000; i++) {
  const job = await queue.enqueue(device, { kind: 'Replace', items: [{ uri: `./Vendor/N${i}`, data: String(i) }] });
  process.stdout.write(`queued ${job.id}\n`);
  if (i % 3 === 0) {
    await queue.markSent([job.id], { sessionId: session, msgId: 2 + i, cmdIds: [i + 2] });
    process.stdout.write(`sent ${job.id}\n`);
  }
}
