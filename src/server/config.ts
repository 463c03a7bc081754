/**
 * Server configuration: defaults, a JSON config file, and command-line overrides merged in that
 * order (later wins). Every field is documented in docs/reference/config.md.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, ErrorCode } from '../core/errors.js';

/** Authentication types a device account can use with this server. */
export type ClientAuthKind = 'md5' | 'hmac' | 'basic';

/** TLS settings (HTTPS listener). */
export interface TlsConfig {
  /** PEM certificate chain file of the server. */
  readonly certFile: string;
  /** PEM private key file. */
  readonly keyFile: string;
  /** PEM CA bundle used to verify client certificates (optional). */
  readonly caFile?: string;
  /** Ask devices for a client certificate (verified against `caFile`). Default false. */
  readonly requestClientCert?: boolean;
  /** Refuse TLS connections without a valid client certificate. Default false. */
  readonly requireClientCert?: boolean;
}

/** One outbound webhook: events are POSTed as JSON to `url`. */
export interface WebhookConfig {
  readonly url: string;
  /** Event types to send (`auth.failure`, `alert.generic`, …); all when absent. */
  readonly events?: readonly string[];
  /** Shared secret: each delivery carries `x-omadm-signature: sha256=<hex HMAC of the body>`. */
  readonly secret?: string;
}

/** Everything the server can be told. */
export interface ServerConfig {
  /** Listen address. Default `127.0.0.1`. */
  readonly host: string;
  /** Listen port (0 = any free port). Default 8080. */
  readonly port: number;
  /** Base URL devices reach this server at (used in RespURI); default: taken from each request. */
  readonly publicUrl?: string;
  /** SQLite database file. Default `./omadm.db`. */
  readonly db: string;
  /** HTTPS settings; plain HTTP when absent. */
  readonly tls?: TlsConfig;
  /** Identifier of this server process, put into every RespURI so a load balancer can route. */
  readonly nodeId: string;
  /** Server identity: SyncHdr Source LocURI fallback and the Package 0 server identifier. */
  readonly serverId: string;
  /** pino log level (`info`, `debug`, `trace`, `warn`, `silent`…). Default `info`. */
  readonly logLevel: string;
  /** Authentication policy. */
  readonly auth: AuthConfig;
  /** Session engine limits. */
  readonly session: SessionConfig;
  /** REST API settings. */
  readonly api: ApiConfig;
  /** Outbound webhooks for events. */
  readonly webhooks: readonly WebhookConfig[];
  /** Number of simulated devices to start alongside (`omadm serve --demo N`); 0 = none. */
  readonly demo: number;
}

/** Authentication policy settings. */
export interface AuthConfig {
  /** Accept `syncml:auth-basic` over plain HTTP (only over TLS otherwise). Default false. */
  readonly allowBasicWithoutTls: boolean;
  /** Type to challenge with when a device record names none. Default `md5`. */
  readonly defaultClientAuth: ClientAuthKind;
  /** Unknown devices: `reject` (SyncHdr Status 403) or `auto-register` (bootstrap secret). */
  readonly unknownDevices: 'reject' | 'auto-register';
  /** Client password shared by all not-yet-registered devices (auto-register only). */
  readonly bootstrapSecret?: string;
  /**
   * Server password for devices registered without their own server credential (and for
   * auto-registered ones); the server credential is then (serverId, this password).
   */
  readonly defaultServerPassword?: string;
  /** Failed attempts allowed in one session before it is closed without a new challenge. Default 3. */
  readonly maxAttemptsPerSession: number;
}

/** Session engine settings. */
export interface SessionConfig {
  /** A session with no message for this long is closed and its unanswered jobs requeued. Default 5 min. */
  readonly idleTimeoutMs: number;
  /** Largest request body accepted (HTTP 413 beyond). Default 1 MiB. */
  readonly maxBodyBytes: number;
  /** MaxMsgSize the server announces and the size a reply is built for when the device gives none. */
  readonly maxMsgSize: number;
  /** MaxObjSize the server announces (largest object it reassembles). Default 4 MiB. */
  readonly maxObjSize: number;
  /** Most queued jobs put into one package. Default 50. */
  readonly maxCommandsPerPackage: number;
}

/** REST API settings. */
export interface ApiConfig {
  /** Serve the REST API and /metrics. Default true. */
  readonly enabled: boolean;
  /** Serve the web dashboard at /ui/ (it needs the REST API). Default true. */
  readonly dashboard: boolean;
  /** File the admin token and server URL are written to; default `<db>.server.json` beside the DB. */
  readonly tokenFile?: string;
}

/** A partial configuration as read from JSON or flags (nested objects partial too). */
export type ServerConfigInput = Partial<Omit<ServerConfig, 'auth' | 'session' | 'api' | 'tls'>> & {
  readonly auth?: Partial<AuthConfig>;
  readonly session?: Partial<SessionConfig>;
  readonly api?: Partial<ApiConfig>;
  readonly tls?: TlsConfig;
};

/** Built-in defaults. */
export const DEFAULT_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
  db: './omadm.db',
  nodeId: 'n1',
  serverId: 'omadm',
  logLevel: 'info',
  auth: {
    allowBasicWithoutTls: false,
    defaultClientAuth: 'md5',
    unknownDevices: 'reject',
    maxAttemptsPerSession: 3,
  },
  session: {
    idleTimeoutMs: 5 * 60 * 1000,
    maxBodyBytes: 1024 * 1024,
    maxMsgSize: 64 * 1024,
    maxObjSize: 4 * 1024 * 1024,
    maxCommandsPerPackage: 50,
  },
  api: { enabled: true, dashboard: true },
  webhooks: [],
  demo: 0,
};

/** Merges inputs over the defaults (later inputs win) and validates the result. */
export function resolveConfig(...inputs: readonly ServerConfigInput[]): ServerConfig {
  let out: ServerConfig = DEFAULT_CONFIG;
  for (const i of inputs) {
    out = {
      ...out,
      ...stripUndefined(i),
      auth: { ...out.auth, ...stripUndefined(i.auth ?? {}) },
      session: { ...out.session, ...stripUndefined(i.session ?? {}) },
      api: { ...out.api, ...stripUndefined(i.api ?? {}) },
    } as ServerConfig;
  }
  validate(out);
  return out;
}

/** Reads a JSON config file (same shape as {@link ServerConfig}, every field optional). */
export function loadConfigFile(file: string): ServerConfigInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('top level must be an object');
    return parsed as ServerConfigInput;
  } catch (err) {
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && k !== 'auth' && k !== 'session' && k !== 'api') r[k] = v;
  return r as Partial<T>;
}

function validate(c: ServerConfig): void {
  const bad = (what: string): never => {
    throw new ConfigError(ErrorCode.ERR_CONFIG_INVALID, `invalid configuration: ${what}`);
  };
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) bad(`port ${String(c.port)} is not 0–65535`);
  if (typeof c.host !== 'string' || c.host === '') bad('host must be a non-empty string');
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(c.nodeId)) bad('nodeId must be 1–32 letters, digits, "-" or "_"');
  if (!['md5', 'hmac', 'basic'].includes(c.auth.defaultClientAuth)) bad('auth.defaultClientAuth must be md5, hmac or basic');
  if (!['reject', 'auto-register'].includes(c.auth.unknownDevices)) bad('auth.unknownDevices must be reject or auto-register');
  if (c.auth.unknownDevices === 'auto-register' && !c.auth.bootstrapSecret) bad('auth.unknownDevices=auto-register needs auth.bootstrapSecret');
  if (c.session.maxMsgSize < 2048) bad('session.maxMsgSize must be at least 2048');
  if (c.session.maxBodyBytes < c.session.maxMsgSize) bad('session.maxBodyBytes must be ≥ session.maxMsgSize');
  if (!(c.session.idleTimeoutMs > 0)) bad('session.idleTimeoutMs must be > 0');
  if (c.tls && (!c.tls.certFile || !c.tls.keyFile)) bad('tls needs both certFile and keyFile');
  if (c.publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(c.publicUrl)) bad('publicUrl must be an http(s) URL');
  if (typeof c.api.enabled !== 'boolean' || typeof c.api.dashboard !== 'boolean') bad('api.enabled and api.dashboard must be true or false');
  if (!Array.isArray(c.webhooks)) bad('webhooks must be an array');
  for (const w of c.webhooks) if (!/^https?:\/\//.test(w.url)) bad(`webhook url "${w.url}" is not http(s)`);
  if (!Number.isInteger(c.demo) || c.demo < 0) bad('demo must be a whole number ≥ 0');
}
