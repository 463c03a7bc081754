/**
 * Persistence ports of the DM server: record types and the `*Store` interfaces every backend
 * implements (SQLite today, PostgreSQL later). Services (registry, queue, events, notify, session)
 * depend only on this file; only the composition root picks an implementation (house style §2).
 *
 * All methods are asynchronous so that a networked database can implement them; the SQLite backend
 * answers synchronously under the hood. Times are milliseconds since the Unix epoch, supplied by
 * the calling service (which owns the injected {@link Clock}), so the store itself never reads a clock.
 */

/** A device identifier: the DevId, i.e. the SyncHdr Source LocURI (`IMEI:3569...`). */
export type DeviceId = string & { readonly __brand: 'DeviceId' };
/** A queued-job identifier (opaque; decimal text in the SQLite backend). */
export type JobId = string & { readonly __brand: 'JobId' };
/** A server-side DM session identifier, unique across devices (not the per-device SyncHdr SessionID). */
export type SessionId = string & { readonly __brand: 'SessionId' };
/** An event identifier (opaque, increasing in append order). */
export type EventId = string & { readonly __brand: 'EventId' };

/** Brands a string as a {@link DeviceId}; rejects empty or over-long ids (the column is indexed). */
export function deviceId(id: string): DeviceId {
  if (id.length === 0 || id.length > 256) throw new RangeError(`invalid device id (length ${id.length})`);
  return id as DeviceId;
}
/** Brands a string as a {@link JobId}. */
export function jobId(id: string): JobId {
  return id as JobId;
}
/** Brands a string as a {@link SessionId}. */
export function sessionId(id: string): SessionId {
  return id as SessionId;
}

/** Source of the current time, injected so expiry and back-off are testable without sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}
/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** One page of a cursor-paginated listing; pass `nextCursor` back to get the next page. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/** Paging options shared by every listing. */
export interface PageQuery {
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
  /** Page size; implementations clamp it to 1..1000 (default 100). */
  readonly limit?: number;
  /** Sort by id: `asc` (oldest first, default) or `desc`. */
  readonly order?: 'asc' | 'desc';
}

// ---------------------------------------------------------------------------------------------
// Devices and credentials
// ---------------------------------------------------------------------------------------------

/** SyncML representation version the device speaks (VerDTD): DM 1.1.2 → `1.1`, DM 1.2 → `1.2`. */
export type ProtocolVersion = '1.1' | '1.2';
/** Wire encoding of the device's DM messages. */
export type MessageEncoding = 'xml' | 'wbxml';
/** How a DM session ended. */
export type SessionOutcome = 'completed' | 'aborted' | 'auth_failed' | 'expired' | 'error';

/** The ./DevInfo leaves a device sends in Package 1 (OMA-TS-DM_StdObj, DevInfo MO). */
export interface DevInfoValues {
  readonly devId?: string;
  readonly man?: string;
  readonly mod?: string;
  readonly dmV?: string;
  readonly lang?: string;
}

/** Where a Package 0 can be pushed for this device. */
export type PushAddress =
  /** A UDP endpoint (the simulator's `--listen` port, or a WDP gateway). */
  | { readonly type: 'udp'; readonly host: string; readonly port: number }
  /** A phone number, handed to an SMS gateway. */
  | { readonly type: 'sms'; readonly msisdn: string };

/** A managed device as the registry knows it (no secrets). */
export interface DeviceRecord {
  readonly id: DeviceId;
  readonly devInfo: DevInfoValues;
  /** ./DevDetail leaves last read, keyed by leaf name (`FwV`, `SwV`, `HwV`, `OEM`...). */
  readonly devDetail: Readonly<Record<string, string>>;
  readonly protocolVersion?: ProtocolVersion;
  readonly encoding?: MessageEncoding;
  /** Group names; group jobs fan out to the members at enqueue time. */
  readonly groups: readonly string[];
  /** Free operator labels. */
  readonly tags: Readonly<Record<string, string>>;
  readonly pushAddress?: PushAddress;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastSessionAt?: number;
  readonly lastSessionOutcome?: SessionOutcome;
  /** The SessionID (1..65535) announced in the last Package 0, and when (OMA-TS-DM_Notification). */
  readonly lastNotification?: { readonly dmSessionId: number; readonly at: number };
}

/** Client→server authentication scheme (OMA-TS-DM_Security §5.1.3). */
export type ClientAuthType = 'basic' | 'md5' | 'hmac';

/**
 * What is kept at rest for a client credential, never the password:
 * `md5` = B64(MD5(username ":" password)), which MD5-digest and HMAC need and which also verifies
 * Basic; `scrypt` = a salted scrypt hash (`scrypt$N$r$p$salt$hash`, base64 parts) for Basic-only devices.
 */
export type StoredSecret =
  | { readonly kind: 'md5'; readonly value: string }
  | { readonly kind: 'scrypt'; readonly value: string };

/** Credentials the device presents to the server (DMAcc 1.2 CLCRED; 1.1.2 UserName/ClientPW). */
export interface ClientCredential {
  readonly username: string;
  readonly authType: ClientAuthType;
  readonly secret: StoredSecret;
}

/**
 * Credentials the server presents to the device (DMAcc 1.2 SRVCRED; 1.1.2 ServerId/ServerPW).
 * Only the derived secret B64(MD5(serverId ":" serverPassword)) is stored: it is all that the
 * server's MD5/HMAC Cred and the Package 0 digest need (OMA-TS-DM_Notification §6).
 */
export interface ServerCredential {
  readonly serverId: string;
  readonly secret: string;
}

/** Everything the session layer needs to authenticate a device, read in one statement. */
export interface DeviceAuthContext {
  readonly device: DeviceRecord;
  readonly client?: ClientCredential;
  readonly server?: ServerCredential;
  /** Nonce the server issued for the device's next Cred (decoded bytes). */
  readonly clientNonce?: Uint8Array;
  /** Nonce the device issued for the server's next Cred and Package 0 (decoded bytes). */
  readonly serverNonce?: Uint8Array;
}

/** A new device row. */
export interface NewDeviceRecord {
  readonly id: DeviceId;
  readonly devInfo?: DevInfoValues;
  readonly devDetail?: Readonly<Record<string, string>>;
  readonly protocolVersion?: ProtocolVersion;
  readonly encoding?: MessageEncoding;
  readonly groups?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly pushAddress?: PushAddress;
  readonly client?: ClientCredential;
  readonly server?: ServerCredential;
  readonly createdAt: number;
}

/** Fields of a device that can be changed; `null` clears an optional field. */
export interface DevicePatch {
  /** Merged into the stored DevInfo values. */
  readonly devInfo?: DevInfoValues;
  /** Merged into the stored DevDetail values. */
  readonly devDetail?: Readonly<Record<string, string>>;
  readonly protocolVersion?: ProtocolVersion | null;
  readonly encoding?: MessageEncoding | null;
  readonly groups?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly pushAddress?: PushAddress | null;
}

/** What a device reported about itself, merged into its row by {@link DeviceStore.mergeReported}. */
export type DeviceReport = Pick<DevicePatch, 'devInfo' | 'devDetail'> & {
  readonly protocolVersion?: ProtocolVersion;
  readonly encoding?: MessageEncoding;
};

/** One use of a verified client credential, for {@link DeviceStore.acceptCredential}. */
export interface CredentialUse {
  /** The nonce the credential was computed with (decoded bytes). */
  readonly nonce: Uint8Array;
  /** The verified digest: MD5 Cred Data or HMAC `mac`. */
  readonly digest: string;
  /** The nonce for the device's next Cred, stored when the use is accepted. */
  readonly nextNonce: Uint8Array;
  /** How many accepted digests to remember per device (at least 1). */
  readonly keep: number;
}

/** Outcome of {@link DeviceStore.acceptCredential}. */
export type CredentialAcceptance = 'accepted' | 'replayed' | 'stale_nonce';

/** Device rows, credentials and nonces. */
export interface DeviceStore {
  /** Inserts a device; throws `StoreError(ERR_REGISTRY_DEVICE_EXISTS)` when the id is taken. */
  insert(device: NewDeviceRecord): Promise<DeviceRecord>;
  /** One device, or `undefined`. */
  get(id: DeviceId): Promise<DeviceRecord | undefined>;
  /** Device, credentials and nonces together (the per-message hot path). */
  getAuthContext(id: DeviceId): Promise<DeviceAuthContext | undefined>;
  /** Devices ordered by id, optionally only the members of a group. */
  list(query: PageQuery & { readonly group?: string }): Promise<Page<DeviceRecord>>;
  /** Ids of every member of a group. */
  listGroupMembers(group: string): Promise<DeviceId[]>;
  /** Applies a patch; `undefined` when the device does not exist. */
  update(id: DeviceId, patch: DevicePatch, at: number): Promise<DeviceRecord | undefined>;
  /**
   * Merges what the device reported (DevInfo / DevDetail leaves, protocol version, encoding) into
   * its row in one write, without reading it back (the session hot path); false when absent.
   */
  mergeReported(id: DeviceId, report: DeviceReport, at: number): Promise<boolean>;
  /** Deletes a device with its credentials, tree cache and jobs; false when absent. */
  remove(id: DeviceId): Promise<boolean>;
  /** Replaces (or with `null` removes) the client credential; false when the device is absent. */
  setClientCredential(id: DeviceId, cred: ClientCredential | null, at: number): Promise<boolean>;
  /** Replaces (or with `null` removes) the server credential; false when the device is absent. */
  setServerCredential(id: DeviceId, cred: ServerCredential | null, at: number): Promise<boolean>;
  /** Stores the nonce the server issued for the device's next Cred. */
  setClientNonce(id: DeviceId, nonce: Uint8Array, at: number): Promise<boolean>;
  /** Stores the nonce the device issued for the server's next Cred / Package 0. */
  setServerNonce(id: DeviceId, nonce: Uint8Array, at: number): Promise<boolean>;
  /**
   * Accepts one use of a verified MD5/HMAC credential, atomically: refuses it when its digest is
   * among the device's remembered ones (`replayed`) or its nonce is no longer the stored client
   * nonce (`stale_nonce`: another use won); otherwise stores `nextNonce` as the client nonce and
   * remembers the digest (the newest `keep` per device) in one write. Throws
   * `StoreError(ERR_REGISTRY_DEVICE_NOT_FOUND)` when the device is absent.
   */
  acceptCredential(id: DeviceId, use: CredentialUse): Promise<CredentialAcceptance>;
  /** Records the end of a session on the device row. */
  recordSession(id: DeviceId, entry: { readonly at: number; readonly outcome: SessionOutcome }): Promise<boolean>;
  /** Allocates the next Package 0 SessionID (1..65535, cycling) and records it; `undefined` when absent. */
  allocateNotificationSession(id: DeviceId, at: number): Promise<number | undefined>;
}

// ---------------------------------------------------------------------------------------------
// Tree cache
// ---------------------------------------------------------------------------------------------

/** How the server learned a node's value. */
export type TreeValueSource = 'get' | 'replace' | 'add' | 'devinfo' | 'alert';

/** An item value as stored: text, or bytes as base64 when `base64` is true. */
export interface StoredItem {
  /** Node URI (Source LocURI of a Results item, Target of a sent item). */
  readonly uri: string;
  readonly format?: string;
  readonly type?: string;
  readonly data?: string;
  /** `data` is the base64 of raw bytes (a `bin` value or WBXML opaque data). */
  readonly base64?: boolean;
}

/** Last known value of one node of one device. */
export interface TreeNodeRecord extends StoredItem {
  readonly deviceId: DeviceId;
  readonly source: TreeValueSource;
  /** When the value was read from or written to the device. */
  readonly at: number;
}

/** The server's cache of device management trees. URIs are normalized to `./A/B` form. */
export interface TreeCacheStore {
  /** Inserts or replaces node values. */
  upsert(deviceId: DeviceId, nodes: readonly (StoredItem & { readonly source: TreeValueSource; readonly at: number })[]): Promise<void>;
  /** One node, or `undefined`. */
  get(deviceId: DeviceId, uri: string): Promise<TreeNodeRecord | undefined>;
  /** Nodes at `prefix` and below it (whole segments only), ordered by URI. */
  list(deviceId: DeviceId, query: { readonly prefix?: string; readonly cursor?: string; readonly limit?: number }): Promise<Page<TreeNodeRecord>>;
  /** Removes the node at `uri` and its whole subtree; returns how many nodes were removed. */
  deleteSubtree(deviceId: DeviceId, uri: string): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Command queue
// ---------------------------------------------------------------------------------------------

/** A value carried in an Add/Replace/Exec item. */
export interface JobItem {
  /** Target node URI. */
  readonly uri: string;
  readonly data?: string;
  /** `data` is base64 of raw bytes (sent as `bin`). */
  readonly base64?: boolean;
  /** Meta Format (`chr`, `int`, `bool`, `b64`, `bin`, `node`, `xml`...). */
  readonly format?: string;
  /** Meta Type (MIME type, or a DDF type URN). */
  readonly type?: string;
}

/** UI alert codes 1100–1104 (OMA-TS-DM_Protocol, user interaction alerts). */
export type UiAlertCode = 1100 | 1101 | 1102 | 1103 | 1104;

/**
 * A queued command, as typed JSON the session layer turns into a SyncML command. CmdIDs are
 * assigned at send time. Get URIs may carry `?list=Struct|StructData|TNDS` or `?prop=ACL|...`.
 */
export type JobCommand =
  | { readonly kind: 'Get'; readonly uris: readonly string[] }
  | { readonly kind: 'Add'; readonly items: readonly JobItem[] }
  | { readonly kind: 'Replace'; readonly items: readonly JobItem[] }
  | { readonly kind: 'Delete'; readonly uris: readonly string[] }
  | { readonly kind: 'Copy'; readonly items: readonly { readonly source: string; readonly target: string }[] }
  /** Exec: the job's `correlator` goes into the Exec Correlator element. */
  | { readonly kind: 'Exec'; readonly item: JobItem }
  /**
   * UI alert: Item 1 carries `options` (`MINDT=10&MAXDT=30&DR=1...`), item 2 the text, further
   * items the choices of 1103/1104.
   */
  | { readonly kind: 'Alert'; readonly code: UiAlertCode; readonly options?: string; readonly text: string; readonly choices?: readonly string[] }
  | { readonly kind: 'Atomic'; readonly commands: readonly JobCommand[] }
  | { readonly kind: 'Sequence'; readonly commands: readonly JobCommand[] };

/**
 * Job lifecycle: queued → sent → (status_received | results_received) → done | failed;
 * queued → cancelled | expired; sent → queued again when the session broke before the Status.
 */
export type JobState = 'queued' | 'sent' | 'status_received' | 'results_received' | 'done' | 'failed' | 'cancelled' | 'expired';

/** One Status received for a job's command or one of its nested commands. */
export interface JobStatusEntry {
  readonly cmdId: number;
  readonly status: number;
  readonly items?: readonly StoredItem[];
}

/** A durable command for one device. */
export interface JobRecord {
  readonly id: JobId;
  readonly deviceId: DeviceId;
  readonly command: JobCommand;
  readonly state: JobState;
  /** Higher is delivered first; equal priorities go oldest first. */
  readonly priority: number;
  /** Exec correlator (generated when the operator gave none). */
  readonly correlator?: string;
  /** Set on the jobs created by one group enqueue. */
  readonly fanOutId?: string;
  /** Group name of a fanned-out job. */
  readonly group?: string;
  /** Approximate encoded size (bytes of the JSON payload), for `maxBytes` batching. */
  readonly size: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt?: number;
  /** Delivery: the session, message and CmdID of the last send. */
  readonly sessionId?: SessionId;
  readonly msgId?: number;
  readonly cmdId?: number;
  /** CmdIDs of nested commands (Atomic/Sequence), depth first. */
  readonly childCmdIds?: readonly number[];
  readonly sentAt?: number;
  /** How many times the job was sent. */
  readonly attempts: number;
  /** The device's Status code for the top-level command. */
  readonly status?: number;
  /** Every Status received (top-level and nested commands). */
  readonly statuses: readonly JobStatusEntry[];
  /** Results items (Get). */
  readonly results: readonly StoredItem[];
  readonly completedAt?: number;
  /** Why the job failed, expired or was cancelled, in words. */
  readonly error?: string;
}

/** A job to insert. */
export interface NewJob {
  readonly deviceId: DeviceId;
  readonly command: JobCommand;
  readonly priority: number;
  readonly correlator?: string;
  readonly fanOutId?: string;
  readonly group?: string;
  readonly size: number;
  readonly createdAt: number;
  readonly expiresAt?: number;
}

/** Filters of a job listing. */
export interface JobQuery extends PageQuery {
  readonly deviceId?: DeviceId;
  readonly state?: JobState;
  readonly fanOutId?: string;
}

/** Job rows. State-machine rules live in the CommandQueue service, not here. */
export interface JobStore {
  /** Inserts jobs (in order) and returns them with ids. */
  insert(jobs: readonly NewJob[]): Promise<JobRecord[]>;
  /** One job, or `undefined`. */
  get(id: JobId): Promise<JobRecord | undefined>;
  /** Filtered listing by id. */
  list(query: JobQuery): Promise<Page<JobRecord>>;
  /** Marks the device's queued jobs with `expiresAt <= now` expired and returns them. */
  expireDue(deviceId: DeviceId, now: number): Promise<JobRecord[]>;
  /** The device's queued jobs, highest priority first then oldest first, at most `limit`. */
  listQueued(deviceId: DeviceId, limit: number): Promise<JobRecord[]>;
  /** The job whose command (or nested command) was sent as (session, msgId, cmdId). */
  findSent(session: SessionId, msgId: number, cmdId: number): Promise<JobRecord | undefined>;
  /** Jobs last sent in a session that are in one of `states`. */
  listBySession(session: SessionId, states: readonly JobState[]): Promise<JobRecord[]>;
  /** Newest job of the device with this correlator. */
  findByCorrelator(deviceId: DeviceId, correlator: string): Promise<JobRecord | undefined>;
  /**
   * Writes the mutable fields of `next` (state, delivery, outcome) if the stored state is still
   * `expect` (compare-and-set); returns false when it was not.
   */
  update(next: JobRecord, expect: JobState): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** One item of a received Alert (1224/1226: Source, Meta Type/Format/Mark, Data). */
export interface AlertItem {
  readonly source?: string;
  readonly target?: string;
  readonly type?: string;
  readonly format?: string;
  readonly mark?: string;
  readonly data?: string;
}

/** Why an authentication failed. */
export type AuthFailureReason = 'missing' | 'invalid' | 'replayed' | 'stale_nonce' | 'unknown_device' | 'unsupported';

/** An event as appended (discriminated on `type`). */
export type DmEvent =
  | { readonly type: 'alert'; readonly deviceId: DeviceId; readonly sessionId?: SessionId; readonly jobId?: JobId; readonly code: number; readonly correlator?: string; readonly items: readonly AlertItem[] }
  | { readonly type: 'session.start'; readonly deviceId: DeviceId; readonly sessionId: SessionId; readonly dmSessionId: string; readonly initiator: 'client' | 'server' }
  | { readonly type: 'session.end'; readonly deviceId: DeviceId; readonly sessionId: SessionId; readonly outcome: SessionOutcome; readonly detail?: string }
  | { readonly type: 'auth.failure'; readonly deviceId: DeviceId; readonly sessionId?: SessionId; readonly reason: AuthFailureReason; readonly authType?: string }
  | { readonly type: 'job.state'; readonly deviceId: DeviceId; readonly jobId: JobId; readonly from: JobState; readonly to: JobState; readonly status?: number }
  | { readonly type: 'device.registered'; readonly deviceId: DeviceId; readonly how: 'manual' | 'auto' }
  | { readonly type: 'notification.sent'; readonly deviceId: DeviceId; readonly dmSessionId: number; readonly transport: string }
  | { readonly type: 'notification.failed'; readonly deviceId: DeviceId; readonly dmSessionId: number; readonly transport: string; readonly error: string }
  /** A Client Provisioning bootstrap was pushed (no secrets: the PIN and passwords stay out of the log). */
  | { readonly type: 'bootstrap.sent'; readonly deviceId: DeviceId; readonly serverId: string; readonly transport: string; readonly sec?: string; readonly registered: boolean };

/** Event type names. */
export type DmEventType = DmEvent['type'];

/** A stored event. */
export type EventRecord = DmEvent & { readonly id: EventId; readonly at: number };

/** Filters of an event listing. */
export interface EventQuery extends PageQuery {
  readonly deviceId?: DeviceId;
  readonly type?: DmEventType;
  /** Only events with `at >= since`. */
  readonly since?: number;
}

/** Append-only event rows. */
export interface EventStore {
  /** Appends one event. */
  append(event: DmEvent, at: number): Promise<EventRecord>;
  /** Filtered listing by id. */
  list(query: EventQuery): Promise<Page<EventRecord>>;
}

// ---------------------------------------------------------------------------------------------
// Sessions (crash recovery)
// ---------------------------------------------------------------------------------------------

/** An open DM session, kept so a restarted server can requeue what the dead process had sent. */
export interface SessionRecord {
  readonly id: SessionId;
  readonly deviceId: DeviceId;
  /** SyncHdr SessionID used by the device. */
  readonly dmSessionId: string;
  readonly startedAt: number;
  readonly lastMessageAt: number;
  /** Last MsgID received or sent. */
  readonly lastMsgId: number;
  /** Token of the RespURI handed to the device, if any. */
  readonly respUriToken?: string;
  /** Random id of the server process that owns the session (one per process start). */
  readonly ownerId: string;
  /** OS process id of the owner, for liveness checks. */
  readonly ownerPid: number;
}

/** Open-session rows. */
export interface SessionStore {
  /** Inserts an open session. */
  open(session: SessionRecord): Promise<void>;
  /** One session, or `undefined`. */
  get(id: SessionId): Promise<SessionRecord | undefined>;
  /** The session with this RespURI token. */
  findByToken(token: string): Promise<SessionRecord | undefined>;
  /** Records activity. */
  touch(id: SessionId, entry: { readonly at: number; readonly lastMsgId: number; readonly respUriToken?: string }): Promise<boolean>;
  /** Removes the session row; false when absent. */
  close(id: SessionId): Promise<boolean>;
  /** Open sessions, optionally only of one owner or one device. */
  list(filter?: { readonly ownerId?: string; readonly deviceId?: DeviceId }): Promise<SessionRecord[]>;
}

// ---------------------------------------------------------------------------------------------
// API tokens
// ---------------------------------------------------------------------------------------------

/** An API token as stored: the token itself is never kept, only its SHA-256. */
export interface ApiTokenRecord {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly lastUsedAt?: number;
  readonly revokedAt?: number;
}

/** API-token rows. */
export interface ApiTokenStore {
  /** Inserts a token with the hex SHA-256 of its secret. */
  insert(token: ApiTokenRecord & { readonly hash: string }): Promise<void>;
  /** The token whose hash matches, revoked or not. */
  findByHash(hash: string): Promise<ApiTokenRecord | undefined>;
  /** Every token, newest first. */
  list(): Promise<ApiTokenRecord[]>;
  /** Marks a token revoked; false when absent or already revoked. */
  revoke(id: string, at: number): Promise<boolean>;
  /** Records a use. */
  touch(id: string, at: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

/** The repositories, usable inside or outside a transaction. */
export interface StoreScope {
  readonly devices: DeviceStore;
  readonly tree: TreeCacheStore;
  readonly jobs: JobStore;
  readonly events: EventStore;
  readonly sessions: SessionStore;
  readonly apiTokens: ApiTokenStore;
  /**
   * Runs `fn` in one transaction: all of its writes commit together or not at all. Inside `fn`
   * use only `tx` (calling the outer store from inside waits for the transaction: a deadlock).
   * Called on a `tx`, it joins the open transaction. Do no network I/O inside: the SQLite backend
   * serializes transactions.
   */
  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T>;
  /** Runs `callback` after the current transaction commits (at once outside a transaction). */
  afterCommit(callback: () => void): void;
}

/** A store backend: the repositories plus lifecycle. */
export interface ServerStore extends StoreScope {
  /** Backend name (`sqlite`). */
  readonly kind: string;
  /** Closes the backend; pending transactions finish first. */
  close(): Promise<void>;
}
