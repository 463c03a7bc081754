/**
 * Moves the replay memory onto the device row, so accepting a credential is one UPDATE that
 * rotates the client nonce and remembers the digest together (see SqliteDeviceStore.acceptCredential).
 * `recent_digests` is a JSON array of the last accepted digests, newest first; the digests already
 * remembered in `auth_digests` are carried over before that table is dropped.
 */
import type { Migration } from './migration.js';

/** `devices.recent_digests` replaces the `auth_digests` table. */
export const credentialMemorySqlite: Migration = {
  version: 2,
  name: 'credential-memory',
  sql: `
ALTER TABLE devices ADD COLUMN recent_digests TEXT;
UPDATE devices SET recent_digests = (
  SELECT json_group_array(digest) FROM (SELECT digest FROM auth_digests WHERE device_id = devices.id ORDER BY at DESC, rowid DESC)
) WHERE id IN (SELECT device_id FROM auth_digests);
DROP TABLE auth_digests;
`,
};
