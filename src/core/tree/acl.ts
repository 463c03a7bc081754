/**
 * OMA DM access control lists (OMA-TS-DM_TND §7.7.1; reference §2.9):
 * `acl = entry *("&" entry)`, `entry = command "=" ids`, `ids = id *("+" id)`.
 * Inheritance (nearest ancestor with a value) is resolved by {@link effectiveAcl}; the tree
 * supplies the chain of stored values.
 */
import { ErrorCode, ProtocolError } from '../errors.js';
import { Status } from '../constants/status.js';

/** Commands an ACL can grant (Copy has no entry of its own). */
export const AclCommand = {
  /** Add children / the node. */
  ADD: 'Add',
  /** Delete the node. */
  DELETE: 'Delete',
  /** Exec the node. */
  EXEC: 'Exec',
  /** Get the node. */
  GET: 'Get',
  /** Replace the node (and, for interior nodes, their own ACL). */
  REPLACE: 'Replace',
} as const;
/** One ACL command. */
export type AclCommand = (typeof AclCommand)[keyof typeof AclCommand];

/** Canonical entry order used by {@link formatAcl}. */
export const ACL_COMMANDS: readonly AclCommand[] = ['Add', 'Delete', 'Exec', 'Get', 'Replace'];

/** The id that grants a command to every server. */
export const ACL_ANY = '*';

/** A parsed ACL: command → server ids (possibly containing {@link ACL_ANY}). Empty map = no value. */
export type Acl = ReadonlyMap<AclCommand, ReadonlySet<string>>;

/** Value the root must fall back to when it has none (TND §7.7.1: `Add=*&Get=*`). */
export const DEFAULT_ROOT_ACL: Acl = new Map<AclCommand, ReadonlySet<string>>([
  ['Add', new Set([ACL_ANY])],
  ['Get', new Set([ACL_ANY])],
]);

// Server id: printable, no whitespace, none of = & * + (control and Unicode separator characters excluded).
const SERVER_ID = /^[^\s=&*+\p{Cc}\p{Zl}\p{Zp}]+$/u;

function invalid(message: string): never {
  throw new ProtocolError(Status.BAD_REQUEST, message, { code: ErrorCode.ERR_ACL_INVALID });
}

function isAclCommand(text: string): text is AclCommand {
  return (ACL_COMMANDS as readonly string[]).includes(text);
}

/** True when `id` is a syntactically valid server identifier (not `*`). */
export function isValidServerId(id: string): boolean {
  return SERVER_ID.test(id);
}

/**
 * Parses ACL text. `''` (no value) gives an empty map. A command that appears twice gets the
 * union of its ids. Leading/trailing whitespace of the whole text is ignored. Throws
 * ProtocolError 400 with code ERR_ACL_INVALID on any other deviation from the grammar.
 */
export function parseAcl(text: string): Acl {
  const body = text.trim();
  const acl = new Map<AclCommand, Set<string>>();
  if (body === '') return acl;
  for (const entry of body.split('&')) {
    const eq = entry.indexOf('=');
    if (eq < 0) invalid(`ACL entry "${entry}" has no "="`);
    const command = entry.slice(0, eq);
    if (!isAclCommand(command)) invalid(`unknown ACL command "${command}"`);
    const ids = entry.slice(eq + 1);
    if (ids === '') invalid(`ACL entry "${command}=" lists no server`);
    const set = acl.get(command) ?? new Set<string>();
    for (const id of ids.split('+')) {
      if (id !== ACL_ANY && !isValidServerId(id)) invalid(`invalid server id "${id}" in ACL entry "${entry}"`);
      set.add(id);
    }
    acl.set(command, set);
  }
  return acl;
}

/** Builds an ACL from a plain record, validating ids (same errors as {@link parseAcl}). */
export function aclFromEntries(entries: Readonly<Partial<Record<AclCommand, readonly string[]>>>): Acl {
  const acl = new Map<AclCommand, ReadonlySet<string>>();
  for (const command of ACL_COMMANDS) {
    const ids = entries[command];
    if (ids === undefined) continue;
    if (ids.length === 0) invalid(`ACL entry "${command}" lists no server`);
    for (const id of ids) if (id !== ACL_ANY && !isValidServerId(id)) invalid(`invalid server id "${id}"`);
    acl.set(command, new Set(ids));
  }
  return acl;
}

/** ACL text in canonical order (Add, Delete, Exec, Get, Replace); ids keep insertion order; empty entries are dropped. */
export function formatAcl(acl: Acl): string {
  const parts: string[] = [];
  for (const command of ACL_COMMANDS) {
    const ids = acl.get(command);
    if (ids && ids.size > 0) parts.push(`${command}=${[...ids].join('+')}`);
  }
  return parts.join('&');
}

/** True when the ACL grants `command` to `serverId` (listed explicitly or via `*`). */
export function aclAllows(acl: Acl, command: AclCommand, serverId: string): boolean {
  const ids = acl.get(command);
  return ids !== undefined && (ids.has(ACL_ANY) || ids.has(serverId));
}

/**
 * Copy of the ACL without `serverId` (TND: a deleted server is scrubbed from every ACL). Commands
 * left without ids are dropped; the caller puts `*` back on the root if it ends up empty.
 */
export function removeServerFromAcl(acl: Acl, serverId: string): Acl {
  const out = new Map<AclCommand, ReadonlySet<string>>();
  for (const [command, ids] of acl) {
    const kept = new Set([...ids].filter((id) => id !== serverId));
    if (kept.size > 0) out.set(command, kept);
  }
  return out;
}

/**
 * Copy of the ACL that also grants `commands` to `serverId` (TND: an interior node added by a server
 * without Replace on the parent gets Add, Delete, Replace for its creator).
 */
export function grantAcl(acl: Acl, commands: readonly AclCommand[], serverId: string): Acl {
  if (!isValidServerId(serverId)) invalid(`invalid server id "${serverId}"`);
  const out = new Map<AclCommand, ReadonlySet<string>>(acl);
  for (const command of commands) out.set(command, new Set([...(acl.get(command) ?? []), serverId]));
  return new Map(ACL_COMMANDS.filter((c) => out.has(c)).map((c) => [c, out.get(c) ?? new Set<string>()]));
}

/**
 * The ACL that governs a node: the first value in `chain` (node first, then parent, ..., root)
 * that is defined and non-empty (TND: inherited from the nearest ancestor with a value).
 * Undefined when no node of the chain has a value.
 */
export function effectiveAcl(chain: readonly (Acl | undefined)[]): Acl | undefined {
  for (const acl of chain) if (acl !== undefined && acl.size > 0) return acl;
  return undefined;
}
