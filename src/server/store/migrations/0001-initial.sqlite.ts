/**
 * Initial SQLite schema. JSON columns hold small structured values read whole (DevInfo, tags,
 * command payloads, results); everything that is filtered on has its own column and index.
 * `jobs.id` is AUTOINCREMENT so ids are never reused after deletes (cursors and events stay valid).
 */
import type { Migration } from './migration.js';

/** Devices, credentials, tree cache, jobs, events, sessions, API tokens. */
export const initialSqlite: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  dev_info TEXT NOT NULL DEFAULT '{}',
  dev_detail TEXT NOT NULL DEFAULT '{}',
  protocol_version TEXT,
  encoding TEXT,
  groups TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '{}',
  push_address TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_session_at INTEGER,
  last_session_outcome TEXT,
  notify_session_id INTEGER,
  notified_at INTEGER,
  client_username TEXT,
  client_auth_type TEXT,
  client_secret_kind TEXT,
  client_secret TEXT,
  server_id TEXT,
  server_secret TEXT,
  client_nonce BLOB,
  server_nonce BLOB
);
CREATE TABLE device_groups (
  grp TEXT NOT NULL,
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  PRIMARY KEY (grp, device_id)
) WITHOUT ROWID;
CREATE INDEX device_groups_device ON device_groups(device_id);
CREATE TABLE auth_digests (
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  nonce BLOB NOT NULL,
  digest TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (device_id, digest, nonce)
);
CREATE INDEX auth_digests_age ON auth_digests(device_id, at);
CREATE TABLE tree_nodes (
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  uri TEXT NOT NULL,
  format TEXT,
  type TEXT,
  data TEXT,
  base64 INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (device_id, uri)
) WITHOUT ROWID;
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  command TEXT NOT NULL,
  state TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  correlator TEXT,
  fan_out_id TEXT,
  grp TEXT,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER,
  session_id TEXT,
  msg_id INTEGER,
  cmd_id INTEGER,
  child_cmd_ids TEXT,
  sent_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  status INTEGER,
  statuses TEXT NOT NULL DEFAULT '[]',
  results TEXT NOT NULL DEFAULT '[]',
  completed_at INTEGER,
  error TEXT
);
CREATE INDEX jobs_queued ON jobs(device_id, priority DESC, id) WHERE state = 'queued';
CREATE INDEX jobs_expiring ON jobs(device_id, expires_at) WHERE state = 'queued' AND expires_at IS NOT NULL;
CREATE INDEX jobs_session ON jobs(session_id, msg_id) WHERE session_id IS NOT NULL;
CREATE INDEX jobs_device ON jobs(device_id, id);
CREATE INDEX jobs_state ON jobs(state, id);
CREATE INDEX jobs_correlator ON jobs(device_id, correlator) WHERE correlator IS NOT NULL;
CREATE INDEX jobs_fan_out ON jobs(fan_out_id, id) WHERE fan_out_id IS NOT NULL;
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  device_id TEXT,
  at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX events_device ON events(device_id, id);
CREATE INDEX events_type ON events(type, id);
CREATE INDEX events_at ON events(at);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  device_id TEXT NOT NULL,
  dm_session_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_message_at INTEGER NOT NULL,
  last_msg_id INTEGER NOT NULL,
  resp_uri_token TEXT UNIQUE,
  owner_id TEXT NOT NULL,
  owner_pid INTEGER NOT NULL
);
CREATE INDEX sessions_owner ON sessions(owner_id);
CREATE INDEX sessions_device ON sessions(device_id);
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  last_used_at INTEGER,
  revoked_at INTEGER
);
`,
};
