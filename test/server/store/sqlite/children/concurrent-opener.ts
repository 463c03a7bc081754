// Child process of sqlite-store.test.ts: opens the shared database (migrating it if needed) at the
// same moment as its siblings, then writes one device.
import { SqliteStore } from '../../../../../src/server/store/sqlite/sqlite-store.js';
import { deviceId } from '../../../../../src/server/store/store.js';

const [path, name, startAt] = process.argv.slice(2);
if (!path || !name || !startAt) throw new Error('usage: concurrent-opener <db> <name> <startAt>');
while (Date.now() < Number(startAt)) { /* line up with the siblings */ }
const store = SqliteStore.open({ path });
await store.devices.insert({ id: deviceId(`IMEI:${name}`), createdAt: Date.now() });
await store.close();
process.stdout.write('ok\n');
