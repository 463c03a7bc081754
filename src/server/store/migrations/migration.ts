/**
 * A versioned schema migration. Migrations run once each, in version order, when a store opens,
 * and are recorded in the `schema_migrations` table; a database newer than the code is refused.
 */

/** One schema step: `version` increases by one per step; `sql` is a script of statements. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
