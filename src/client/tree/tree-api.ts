/**
 * The contract between the session engine (client/session) and the management tree
 * (client/tree). The engine turns each DM command into calls on `DeviceTree`; the tree answers
 * with Status codes as data, never exceptions (house style §4).
 */
import type { Item, ItemData, Meta } from '../../core/syncml/message.js';

/** Who is asking: the authenticated server of the session, with its Microsoft roles. */
export interface TreeCaller {
  /** ServerID of the DM account (matched against OMA ACL entries). */
  readonly serverId: string;
  /** Microsoft security-role mask of the account (used when the tree is in role mode). */
  readonly roles: number;
}

/** Outcome of one tree operation: the Status code to send, plus Results items for Get. */
export interface TreeResult {
  readonly status: number;
  /** Results items (Source LocURI, Meta Format/Type/Size, Data) for a successful Get. */
  readonly items?: readonly Item[];
}

/** A value written by Add/Replace: Item Data plus the Meta that describes it. */
export interface NodeWrite {
  readonly uri: string;
  readonly data?: ItemData;
  readonly meta?: Meta;
}

/** Result of an Exec: 200/202/4xx/5xx, and (for async Exec) nothing else — alerts come later. */
export interface ExecRequest {
  readonly uri: string;
  readonly data?: ItemData;
  readonly correlator?: string;
}

/** A point the tree can roll back to (Atomic). */
export interface TreeSavepoint {
  commit(): void;
  rollback(): boolean;
}

/** What the session engine needs from the device's management tree. */
export interface DeviceTree {
  get(uri: string, caller: TreeCaller): TreeResult;
  add(write: NodeWrite, caller: TreeCaller): TreeResult;
  replace(write: NodeWrite, caller: TreeCaller): TreeResult;
  delete(uri: string, caller: TreeCaller): TreeResult;
  copy(request: { target: string; source: string }, caller: TreeCaller): TreeResult;
  exec(request: ExecRequest, caller: TreeCaller): Promise<TreeResult>;
  /** Starts an all-or-nothing group; nested savepoints are not needed (nested Atomic → 500). */
  savepoint(): TreeSavepoint;
  /** Reads a leaf value without access checks (DevInfo for Package 1, account settings). */
  readValue(uri: string): string | undefined;
  /** Writes a leaf value without access checks (agent-internal: nonces, FUMO state). */
  writeValue(uri: string, value: string, format?: string): void;
}
