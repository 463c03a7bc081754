/**
 * Device registry: managed devices, their credentials and nonces, and the tree cache.
 * Secrets at rest (OMA-TS-DM_Security §5.1.3): MD5/HMAC devices keep B64(MD5(user:pass)) (what
 * the digest needs, and enough to check Basic too); Basic-only devices keep a salted scrypt hash;
 * the server credential is kept as B64(MD5(serverId:serverPassword)), which signs the server's Cred
 * and Package 0. Nonces rotate every session (MSDN "Server Requirements": renew every session).
 */
import { constantTimeEqual, utf8 } from '../../core/auth/bytes.js';
import { computeMd5DigestFromSecret, md5Secret, verifyMd5Digest } from '../../core/auth/md5-digest.js';
import { ErrorCode, StoreError } from '../../core/errors.js';
import type { EventLog } from '../events/event-log.js';
import { pooledRandomBytes } from '../random-pool.js';
import type {
  AuthFailureReason, ClientAuthType, ClientCredential, Clock, CredentialAcceptance, DevInfoValues, DeviceAuthContext, DeviceId, DevicePatch, DeviceReport,
  DeviceRecord, MessageEncoding, Page, PageQuery, ProtocolVersion, PushAddress, SessionId, SessionOutcome, StoreScope,
  StoredItem, TreeNodeRecord, TreeValueSource,
} from '../store/store.js';
import { systemClock } from '../store/store.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { cacheNodes } from './tree-cache.js';

/** Source of random bytes (injected for deterministic tests). */
export type RandomBytes = (size: number) => Uint8Array;

/** Plain client credentials as an operator enters them; only a derived secret is stored. */
export interface ClientCredentialInput {
  readonly username: string;
  readonly password: string;
  /** `basic` stores a scrypt hash (Basic only); `md5`/`hmac` store B64(MD5(user:pass)). */
  readonly authType: ClientAuthType;
}

/** Plain server credentials; only B64(MD5(serverId:serverPassword)) is stored. */
export interface ServerCredentialInput {
  readonly serverId: string;
  readonly serverPassword: string;
}

/** A device to register. */
export interface RegisterDeviceInput {
  readonly id: DeviceId;
  readonly devInfo?: DevInfoValues;
  readonly protocolVersion?: ProtocolVersion;
  readonly encoding?: MessageEncoding;
  readonly groups?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly pushAddress?: PushAddress;
  readonly client?: ClientCredentialInput;
  /** Defaults to the registry's `defaultServerCredential`. */
  readonly server?: ServerCredentialInput;
}

/** What to do with a device the registry does not know. */
export type UnknownDevicePolicy =
  | { readonly mode: 'reject' }
  /**
   * Register it when its credential verifies against the shared bootstrap password; the device
   * keeps that password (as an MD5 secret) until the operator rotates it over DMAcc.
   */
  | { readonly mode: 'auto-register'; readonly bootstrapPassword: string; readonly groups?: readonly string[] };

/** A credential presented by an unknown device, as the session layer parsed it. */
export type PresentedCredential =
  | { readonly authType: 'basic'; readonly username: string; readonly password: string }
  /** `digest` is the Cred Data; `nonce` the decoded nonce it was computed with (the one the server challenged with). */
  | { readonly authType: 'md5'; readonly username: string; readonly digest: string; readonly nonce: Uint8Array };

/** What {@link DeviceRegistry.acceptCredential} decided. */
export type CredentialAcceptanceResult =
  | { readonly accepted: true; readonly nextNonce: Uint8Array }
  | { readonly accepted: false; readonly reason: Exclude<CredentialAcceptance, 'accepted'> };

/** Options of {@link DeviceRegistry}. */
export interface DeviceRegistryOptions {
  readonly store: StoreScope;
  readonly clock?: Clock;
  readonly random?: RandomBytes;
  /** Where auth failures and registrations are logged. */
  readonly events?: EventLog;
  /** Default `{ mode: 'reject' }`. */
  readonly unknownDevicePolicy?: UnknownDevicePolicy;
  /** Server credentials given to devices registered without their own (and to auto-registered ones). */
  readonly defaultServerCredential?: ServerCredentialInput;
  /** Accepted digests remembered per device for replay refusal; default 16. */
  readonly replayHistory?: number;
  /** Bytes of every issued client nonce; default 16. */
  readonly nonceBytes?: number;
}

/** Devices, credentials, nonces and the tree cache (the API over {@link DeviceStore}s). */
export class DeviceRegistry {
  readonly #opts: DeviceRegistryOptions;
  readonly #store: StoreScope;
  readonly #clock: Clock;
  readonly #random: RandomBytes;
  readonly #events: EventLog | undefined;

  constructor(opts: DeviceRegistryOptions) {
    this.#opts = opts;
    this.#store = opts.store;
    this.#clock = opts.clock ?? systemClock;
    this.#random = opts.random ?? pooledRandomBytes;
    this.#events = opts.events;
  }

  /** The same registry bound to an open transaction. */
  inTransaction(tx: StoreScope): DeviceRegistry {
    return new DeviceRegistry({ ...this.#opts, store: tx, ...(this.#events ? { events: this.#events.inTransaction(tx) } : {}) });
  }

  /** The configured policy for unknown devices. */
  get unknownDevicePolicy(): UnknownDevicePolicy {
    return this.#opts.unknownDevicePolicy ?? { mode: 'reject' };
  }

  /** Registers a device; throws `StoreError(ERR_REGISTRY_DEVICE_EXISTS)` when the id is taken. */
  async register(input: RegisterDeviceInput, how: 'manual' | 'auto' = 'manual'): Promise<DeviceRecord> {
    const client = input.client ? await deriveClientCredential(input.client) : undefined;
    const serverInput = input.server ?? this.#opts.defaultServerCredential;
    const server = serverInput ? deriveServerCredential(serverInput) : undefined;
    return this.#store.transaction(async (tx) => {
      const record = await tx.devices.insert({
        id: input.id,
        createdAt: this.#clock.now(),
        ...(input.devInfo ? { devInfo: input.devInfo } : {}),
        ...(input.protocolVersion ? { protocolVersion: input.protocolVersion } : {}),
        ...(input.encoding ? { encoding: input.encoding } : {}),
        ...(input.groups ? { groups: input.groups } : {}),
        ...(input.tags ? { tags: input.tags } : {}),
        ...(input.pushAddress ? { pushAddress: input.pushAddress } : {}),
        ...(client ? { client } : {}),
        ...(server ? { server } : {}),
      });
      await this.#events?.inTransaction(tx).append({ type: 'device.registered', deviceId: input.id, how });
      return record;
    });
  }

  /** One device, or `undefined`. */
  get(id: DeviceId): Promise<DeviceRecord | undefined> {
    return this.#store.devices.get(id);
  }

  /** One device; throws `StoreError(ERR_REGISTRY_DEVICE_NOT_FOUND)` when absent. */
  async require(id: DeviceId): Promise<DeviceRecord> {
    const device = await this.#store.devices.get(id);
    if (!device) throw notFound(id);
    return device;
  }

  /** Devices ordered by id, optionally only one group's members. */
  list(query: PageQuery & { readonly group?: string } = {}): Promise<Page<DeviceRecord>> {
    return this.#store.devices.list(query);
  }

  /** Changes a device; throws `ERR_REGISTRY_DEVICE_NOT_FOUND` when absent. */
  async update(id: DeviceId, patch: DevicePatch): Promise<DeviceRecord> {
    const device = await this.#store.devices.update(id, patch, this.#clock.now());
    if (!device) throw notFound(id);
    return device;
  }

  /** Deletes a device with its credentials, tree cache and jobs; false when absent. */
  remove(id: DeviceId): Promise<boolean> {
    return this.#store.devices.remove(id);
  }

  /** Sets the client→server credential from a plain password (only a derived secret is kept). */
  async setClientCredential(id: DeviceId, input: ClientCredentialInput): Promise<void> {
    const cred = await deriveClientCredential(input);
    if (!(await this.#store.devices.setClientCredential(id, cred, this.#clock.now()))) throw notFound(id);
  }

  /** Sets the server→client credential from a plain password (only the MD5 secret is kept). */
  async setServerCredential(id: DeviceId, input: ServerCredentialInput): Promise<void> {
    if (!(await this.#store.devices.setServerCredential(id, deriveServerCredential(input), this.#clock.now()))) throw notFound(id);
  }

  /** Device, credentials and both nonces in one read: what authenticating a message needs. */
  getAuthContext(id: DeviceId): Promise<DeviceAuthContext | undefined> {
    return this.#store.devices.getAuthContext(id);
  }

  /**
   * Checks a Basic user name and password against the stored secret (MD5 secret or scrypt hash),
   * in constant time. False when the device or its credential is unknown.
   */
  async verifyBasic(id: DeviceId, username: string, password: string): Promise<boolean> {
    const ctx = await this.#store.devices.getAuthContext(id);
    const cred = ctx?.client;
    if (!cred) return false;
    const userOk = constantTimeEqual(utf8(username), utf8(cred.username));
    const secretOk = cred.secret.kind === 'md5'
      ? constantTimeEqual(utf8(md5Secret(username, password)), utf8(cred.secret.value))
      : await verifyPassword(password, cred.secret.value);
    return userOk && secretOk;
  }

  /**
   * Accepts a verified MD5/HMAC credential at most once and rotates the client nonce in the same
   * write: returns the new nonce (the NextNonce of the reply), or why the use was refused —
   * `replayed` (digest accepted before) or `stale_nonce` (its nonce was superseded, e.g. by a
   * concurrent use) — and then logs an `auth.failure` with that reason.
   */
  async acceptCredential(id: DeviceId, use: {
    readonly nonce: Uint8Array;
    readonly digest: string;
    readonly authType?: ClientAuthType;
    readonly sessionId?: SessionId;
  }): Promise<CredentialAcceptanceResult> {
    const nextNonce = this.#random(this.#opts.nonceBytes ?? 16);
    const outcome = await this.#store.devices.acceptCredential(id, {
      nonce: use.nonce, digest: use.digest, nextNonce, keep: this.#opts.replayHistory ?? 16,
    });
    if (outcome === 'accepted') return { accepted: true, nextNonce };
    await this.recordAuthFailure(id, {
      reason: outcome, ...(use.authType ? { authType: use.authType } : {}), ...(use.sessionId ? { sessionId: use.sessionId } : {}),
    });
    return { accepted: false, reason: outcome };
  }

  /** Logs an authentication failure event (replayed, stale or invalid credentials...). */
  async recordAuthFailure(id: DeviceId, entry: { readonly reason: AuthFailureReason; readonly sessionId?: SessionId; readonly authType?: string }): Promise<void> {
    await this.#events?.append({ type: 'auth.failure', deviceId: id, ...entry });
  }

  /** Generates, stores and returns the nonce the device must use in its next Cred (NextNonce). */
  async issueClientNonce(id: DeviceId): Promise<Uint8Array> {
    const nonce = this.#random(this.#opts.nonceBytes ?? 16);
    if (!(await this.#store.devices.setClientNonce(id, nonce, this.#clock.now()))) throw notFound(id);
    return nonce;
  }

  /** Stores the nonce the device issued (Chal NextNonce) for the server's next Cred and Package 0. */
  async storeServerNonce(id: DeviceId, nonce: Uint8Array): Promise<void> {
    if (!(await this.#store.devices.setServerNonce(id, nonce, this.#clock.now()))) throw notFound(id);
  }

  /** Records what Package 1 said: DevInfo leaves (also cached as tree nodes), VerDTD and encoding. */
  async recordDevInfo(id: DeviceId, info: { readonly devInfo: DevInfoValues; readonly protocolVersion?: ProtocolVersion; readonly encoding?: MessageEncoding }): Promise<void> {
    const at = this.#clock.now();
    const items: StoredItem[] = [];
    const leaf: Readonly<Record<keyof DevInfoValues, string>> = { devId: 'DevId', man: 'Man', mod: 'Mod', dmV: 'DmV', lang: 'Lang' };
    for (const [key, name] of Object.entries(leaf) as [keyof DevInfoValues, string][]) {
      const value = info.devInfo[key];
      if (value !== undefined) items.push({ uri: `./DevInfo/${name}`, data: value, format: 'chr' });
    }
    await this.#store.transaction(async (tx) => {
      const report: DeviceReport = {
        devInfo: info.devInfo,
        ...(info.protocolVersion ? { protocolVersion: info.protocolVersion } : {}),
        ...(info.encoding ? { encoding: info.encoding } : {}),
      };
      if (!(await tx.devices.mergeReported(id, report, at))) throw notFound(id);
      if (items.length > 0) await tx.tree.upsert(id, items.map((i) => ({ ...i, source: 'devinfo' as const, at })));
    });
  }

  /** Records the end of a session (time and outcome) on the device. */
  async recordSessionEnd(id: DeviceId, outcome: SessionOutcome): Promise<void> {
    await this.#store.devices.recordSession(id, { at: this.#clock.now(), outcome });
  }

  /** Caches node values the server read or wrote (`?list=`/`?prop=` URIs are skipped). */
  cacheNodes(id: DeviceId, items: readonly StoredItem[], source: TreeValueSource): Promise<void> {
    return this.#store.transaction((tx) => cacheNodes(tx, id, items, { source, at: this.#clock.now() }));
  }

  /** Cached nodes at `prefix` and below, ordered by URI (the tree without waking the device). */
  listTree(id: DeviceId, query: { readonly prefix?: string; readonly cursor?: string; readonly limit?: number } = {}): Promise<Page<TreeNodeRecord>> {
    return this.#store.tree.list(id, query);
  }

  /** One cached node. */
  getNode(id: DeviceId, uri: string): Promise<TreeNodeRecord | undefined> {
    return this.#store.tree.get(id, uri);
  }

  /** Drops a cached node and its subtree (after a successful Delete). */
  forgetSubtree(id: DeviceId, uri: string): Promise<number> {
    return this.#store.tree.deleteSubtree(id, uri);
  }

  /**
   * Registers an unknown device when the policy is `auto-register` and its credential verifies
   * against the bootstrap password; otherwise logs `auth.failure` (`unknown_device`) and returns
   * `undefined`. The device is stored with an MD5 secret of (username, bootstrap password).
   */
  async autoRegister(input: {
    readonly id: DeviceId;
    readonly credential: PresentedCredential;
    readonly devInfo?: DevInfoValues;
    readonly protocolVersion?: ProtocolVersion;
    readonly encoding?: MessageEncoding;
  }): Promise<DeviceRecord | undefined> {
    const policy = this.unknownDevicePolicy;
    const cred = input.credential;
    let ok = false;
    if (policy.mode === 'auto-register') {
      const secret = md5Secret(cred.username, policy.bootstrapPassword);
      ok = cred.authType === 'basic'
        ? constantTimeEqual(utf8(md5Secret(cred.username, cred.password)), utf8(secret))
        : verifyMd5Digest({ digest: cred.digest, secret, nonce: cred.nonce });
    }
    if (policy.mode !== 'auto-register' || !ok) {
      await this.recordAuthFailure(input.id, { reason: 'unknown_device', authType: cred.authType });
      return undefined;
    }
    const existing = await this.#store.devices.get(input.id);
    if (existing) return existing;
    try {
      return await this.register({
        id: input.id,
        client: { username: cred.username, password: policy.bootstrapPassword, authType: cred.authType === 'basic' ? 'md5' : cred.authType },
        ...(input.devInfo ? { devInfo: input.devInfo } : {}),
        ...(input.protocolVersion ? { protocolVersion: input.protocolVersion } : {}),
        ...(input.encoding ? { encoding: input.encoding } : {}),
        ...(policy.groups ? { groups: policy.groups } : {}),
      }, 'auto');
    } catch (err) {
      // Two sessions of the same new device raced: the other one registered it.
      if (err instanceof StoreError && err.code === ErrorCode.ERR_REGISTRY_DEVICE_EXISTS) return this.#store.devices.get(input.id);
      throw err;
    }
  }
}

/** Derives the at-rest form of a client credential (see the module comment). */
export async function deriveClientCredential(input: ClientCredentialInput): Promise<ClientCredential> {
  const secret = input.authType === 'basic'
    ? { kind: 'scrypt' as const, value: await hashPassword(input.password) }
    : { kind: 'md5' as const, value: md5Secret(input.username, input.password) };
  return { username: input.username, authType: input.authType, secret };
}

/** Derives the stored server credential: B64(MD5(serverId ":" serverPassword)). */
export function deriveServerCredential(input: ServerCredentialInput): { serverId: string; secret: string } {
  return { serverId: input.serverId, secret: md5Secret(input.serverId, input.serverPassword) };
}

/** The server's MD5 Cred Data for the device's stored server nonce (for the server's SyncHdr Cred). */
export function serverDigest(ctx: DeviceAuthContext): string | undefined {
  if (!ctx.server || !ctx.serverNonce) return undefined;
  return computeMd5DigestFromSecret({ secret: ctx.server.secret, nonce: ctx.serverNonce });
}

function notFound(id: DeviceId): StoreError {
  return new StoreError(ErrorCode.ERR_REGISTRY_DEVICE_NOT_FOUND, `device ${id} is not registered`);
}
