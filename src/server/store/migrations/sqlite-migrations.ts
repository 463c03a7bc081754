/** The SQLite schema history, oldest first. Append new steps; never edit a released one. */
import { initialSqlite } from './0001-initial.sqlite.js';
import { credentialMemorySqlite } from './0002-credential-memory.sqlite.js';
import type { Migration } from './migration.js';

/** Every SQLite migration in version order. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [initialSqlite, credentialMemorySqlite];
