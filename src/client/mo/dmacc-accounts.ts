/**
 * DM accounts as the session engine needs them: `readDmAccounts` normalizes both DMAcc layouts
 * (DM 1.1.2 leaves and DM 1.2 AppAddr/AppAuth) into one shape, `updateAccountNonce` stores the
 * next nonce, and `dmAccountNodes` provisions an account from a profile (reference §1.5, §4).
 */
import { AuthType, MediaType } from '../../core/constants/meta-types.js';
import { b64ToBin, binToB64 } from '../../core/tree/formats.js';
import { SecurityRole } from '../../core/tree/security-role.js';
import type { PluginTree } from '../tree/plugin.js';
import type { InitialNode } from '../tree/tree-template.js';
import { DMACC_URI, accountNodeName } from './dmacc.js';

/** Credentials of one direction. */
export interface DmCredentials {
  /** User name (client) or server id (server). */
  readonly name: string;
  /** Password / secret. */
  readonly secret: string;
  /** Current nonce (raw bytes). */
  readonly nonce: Uint8Array;
  /** Authentication type (`syncml:auth-md5`, …), empty when unknown. */
  readonly type: string;
}

/** One DM account, whichever layout it is stored in. */
export interface DmAccount {
  /** Account node name. */
  readonly id: string;
  /** Account node URI. */
  readonly uri: string;
  /** `1.1` (DM 1.1.2 leaves) or `1.2` (AppAddr/AppAuth). */
  readonly layout: '1.1' | '1.2';
  /** ServerID (1.2) / ServerId (1.1.2). */
  readonly serverId: string;
  /** Display name. */
  readonly name: string;
  /** Server URL (port from PortNbr merged in when the URL has none). */
  readonly addr: string;
  /** Preferred authentication type, as a SyncML auth type. */
  readonly authPref: string;
  /** Client → server credentials. */
  readonly client: DmCredentials;
  /** Server → client credentials. */
  readonly server: DmCredentials;
  /** ProtoVer to announce (`1.1`/`1.2`), when set. */
  readonly protoVer?: string;
  /** DefaultEncoding. */
  readonly encoding: 'xml' | 'wbxml';
  /** Connection retry knobs (reference §4; defaults 3, 16000, 86400000). */
  readonly retry: { readonly connRetryFreq: number; readonly initialBackOffMs: number; readonly maxBackOffMs: number };
  /** Do not fall back to DM 1.1 after a failed 1.2 attempt. */
  readonly backCompatRetryDisabled: boolean;
  /** Nonce resynchronization allowed (default false on WM). */
  readonly useNonceResync: boolean;
  /** Use the hardware id (IMEI) as DevId. */
  readonly useHwDevId: boolean;
  /** Microsoft security roles of the account. */
  readonly roles: number;
}

/** Default roles of an account without Ext/Microsoft/Role (Manager, as in the WM w7 example). */
export const DEFAULT_ACCOUNT_ROLES = SecurityRole.MANAGER;
/** Mounts `readDmAccounts` looks at by default. */
export const DEFAULT_ACCOUNT_MOUNTS: readonly string[] = [DMACC_URI, './DMAcc'];

/** Maps DMAcc auth names (BASIC, DIGEST, HMAC, HTTP-…) and SyncML types to a SyncML auth type. */
export function toSyncMLAuthType(value: string | undefined): string {
  const v = (value ?? '').trim();
  switch (v.toUpperCase()) {
    case 'BASIC': case 'HTTP-BASIC': return AuthType.BASIC;
    case 'DIGEST': case 'HTTP-DIGEST': case 'MD5': return AuthType.MD5;
    case 'HMAC': return AuthType.HMAC;
    case 'NONE': return AuthType.NONE;
    default: return v;
  }
}

function nonceBytes(tree: PluginTree, uri: string): Uint8Array {
  if (tree.readFormat(uri) === 'bin') return tree.readBytes(uri) ?? new Uint8Array(0);
  const text = tree.readValue(uri);
  if (text === undefined) return new Uint8Array(0);
  // Text nonces are stored base64 (they arrive as a b64 NextNonce); other text is taken as its bytes.
  return b64ToBin(text) ?? new Uint8Array(Buffer.from(text, 'utf8'));
}

function flag(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  return v === '' || v === 'true' || v === '1'; // w7: presence of the parm means true
}

function int(value: string | undefined, fallback: number): number {
  const n = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : fallback;
}

function withPort(addr: string, port: string | undefined): string {
  if (port === undefined || port === '') return addr;
  try {
    const url = new URL(addr);
    if (url.port === '' && String(url.protocol === 'https:' ? 443 : 80) !== port) url.port = port;
    return url.toString();
  } catch {
    return addr;
  }
}

/** Reads every DM account of the tree (both layouts, every mount in `mounts`). */
export function readDmAccounts(tree: PluginTree, options: { mounts?: readonly string[] } = {}): DmAccount[] {
  const out: DmAccount[] = [];
  for (const mount of options.mounts ?? DEFAULT_ACCOUNT_MOUNTS) {
    for (const id of tree.listChildren(mount) ?? []) {
      const uri = `${mount}/${id}`;
      if (tree.listChildren(uri) !== undefined) out.push(readAccount(tree, uri, id));
    }
  }
  return out;
}

function readAccount(tree: PluginTree, uri: string, id: string): DmAccount {
  const kids = new Set(tree.listChildren(uri) ?? []);
  const v = (name: string): string | undefined => tree.readValue(`${uri}/${name}`);
  const ms = (name: string): string | undefined => v(`Ext/Microsoft/${name}`);
  const layout = ['AppAddr', 'AppAuth', 'AppID', 'ServerID', 'AAuthPref'].some((k) => kids.has(k)) ? '1.2' : '1.1';
  const common = {
    id, uri, layout, name: v('Name') ?? '',
    ...(ms('ProtoVer') ? { protoVer: ms('ProtoVer') as string } : {}),
    encoding: ms('DefaultEncoding')?.trim() === MediaType.DM_WBXML ? 'wbxml' : 'xml',
    retry: {
      connRetryFreq: int(ms('ConnRetryFreq'), 3),
      initialBackOffMs: int(ms('InitialBackOffTime') ?? ms('InitialBackOfTime'), 16000),
      maxBackOffMs: int(ms('MaxBackOffTime') ?? ms('MaxBackOfTime'), 86_400_000),
    },
    backCompatRetryDisabled: ms('BackCompatRetryDisabled') !== undefined && flag(ms('BackCompatRetryDisabled')),
    useNonceResync: ms('UseNonceResync') !== undefined && ms('UseNonceResync') !== '' && flag(ms('UseNonceResync')),
    useHwDevId: ms('UseHwDevID') !== undefined && ms('UseHwDevID') !== '' && flag(ms('UseHwDevID')),
    roles: int(ms('Role'), DEFAULT_ACCOUNT_ROLES),
  } as const;
  if (layout === '1.1') {
    const type = toSyncMLAuthType(v('AuthPref'));
    const serverId = v('ServerId') ?? '';
    return {
      ...common, serverId, addr: withPort(v('Addr') ?? '', v('PortNbr')), authPref: type,
      client: { name: v('UserName') ?? '', secret: v('ClientPW') ?? '', nonce: nonceBytes(tree, `${uri}/ClientNonce`), type },
      server: { name: serverId, secret: v('ServerPW') ?? '', nonce: nonceBytes(tree, `${uri}/ServerNonce`), type },
    };
  }
  const appAddr = tree.listChildren(`${uri}/AppAddr`)?.[0];
  let addr = '';
  if (appAddr !== undefined) {
    const addrUri = `${uri}/AppAddr/${appAddr}`;
    const port = tree.listChildren(`${addrUri}/Port`)?.[0];
    addr = withPort(tree.readValue(`${addrUri}/Addr`) ?? '', port === undefined ? undefined : tree.readValue(`${addrUri}/Port/${port}/PortNbr`));
  }
  const creds = (level: string): DmCredentials => {
    const entry = findAppAuth(tree, uri, level);
    if (entry === undefined) return { name: '', secret: '', nonce: new Uint8Array(0), type: '' };
    const r = (n: string): string => tree.readValue(`${entry}/${n}`) ?? '';
    return { name: r('AAuthName'), secret: r('AAuthSecret'), nonce: nonceBytes(tree, `${entry}/AAuthData`), type: toSyncMLAuthType(r('AAuthType')) };
  };
  const client = creds('CLCRED');
  const serverId = v('ServerID') ?? '';
  return {
    ...common, serverId, addr, authPref: toSyncMLAuthType(v('AAuthPref')) || client.type, client, server: creds('SRVCRED'),
  };
}

function findAppAuth(tree: PluginTree, accountUri: string, level: string): string | undefined {
  for (const x of tree.listChildren(`${accountUri}/AppAuth`) ?? []) {
    const u = `${accountUri}/AppAuth/${x}`;
    if (tree.readValue(`${u}/AAuthLevel`)?.trim() === level) return u;
  }
  return undefined;
}

/**
 * Stores the nonce to use next: the client nonce after a server's NextNonce, the server nonce
 * after the client issued one. DM 1.1.2 nonce leaves keep base64 text, DM 1.2 AAuthData bytes.
 */
export function updateAccountNonce(
  tree: PluginTree, accountId: string, which: 'client' | 'server', nonce: Uint8Array,
): void {
  const account = readDmAccounts(tree).find((a) => a.id === accountId || a.uri === accountId);
  if (account === undefined) return;
  if (account.layout === '1.1') {
    const uri = `${account.uri}/${which === 'client' ? 'ClientNonce' : 'ServerNonce'}`;
    if (tree.readFormat(uri) === 'bin') tree.writeBytes(uri, nonce);
    else tree.writeValue(uri, binToB64(nonce), 'b64');
    return;
  }
  const level = which === 'client' ? 'CLCRED' : 'SRVCRED';
  let entry = findAppAuth(tree, account.uri, level);
  if (entry === undefined) {
    entry = `${account.uri}/AppAuth/${level}`;
    tree.writeValue(`${entry}/AAuthLevel`, level, 'chr');
  }
  tree.writeBytes(`${entry}/AAuthData`, nonce);
}

/** An account to provision (profile form). */
export interface DmAccountProfile {
  /** Account node name (default: hex SHA-1 of serverId). */
  readonly id?: string;
  /** Layout (default `1.2`). */
  readonly layout?: '1.1' | '1.2';
  /** Server id. */
  readonly serverId: string;
  /** Display name (default serverId). */
  readonly name?: string;
  /** Server URL. */
  readonly addr: string;
  /** Preferred auth: BASIC, DIGEST, HMAC or a syncml:auth-* type (default DIGEST). */
  readonly authPref?: string;
  /** Client user name. */
  readonly clientName: string;
  /** Client password. */
  readonly clientSecret: string;
  /** Initial client nonce. */
  readonly clientNonce?: Uint8Array;
  /** Server password. */
  readonly serverSecret: string;
  /** Initial server nonce. */
  readonly serverNonce?: Uint8Array;
  /** Account roles (Ext/Microsoft/Role). */
  readonly roles?: number;
  /** ProtoVer. */
  readonly protoVer?: string;
  /** DefaultEncoding. */
  readonly encoding?: 'xml' | 'wbxml';
  /** Retry knobs. */
  readonly retry?: { readonly connRetryFreq?: number; readonly initialBackOffMs?: number; readonly maxBackOffMs?: number };
  /** BackCompatRetryDisabled. */
  readonly backCompatRetryDisabled?: boolean;
  /** UseNonceResync. */
  readonly useNonceResync?: boolean;
}

/** The nodes of a provisioned account below `mount`; the account node's ACL grants its server everything. */
export function dmAccountNodes(account: DmAccountProfile, mount = DMACC_URI): InitialNode[] {
  const uri = `${mount}/${account.id ?? accountNodeName(account.serverId)}`;
  const acl = `Add=${account.serverId}&Delete=${account.serverId}&Get=${account.serverId}&Replace=${account.serverId}`;
  const out: InitialNode[] = [{ uri, format: 'node', acl }];
  const leaf = (name: string, value: string | Uint8Array, format?: string): void => {
    out.push({ uri: `${uri}/${name}`, value, ...(format !== undefined ? { format } : {}) });
  };
  const pref = account.authPref ?? 'DIGEST';
  if (account.layout === '1.1') {
    leaf('ServerId', account.serverId); leaf('Name', account.name ?? account.serverId); leaf('Addr', account.addr);
    leaf('AddrType', 'URI'); leaf('AuthPref', toSyncMLAuthType(pref)); leaf('UserName', account.clientName);
    leaf('ClientPW', account.clientSecret); leaf('ServerPW', account.serverSecret);
    leaf('ClientNonce', binToB64(account.clientNonce ?? new Uint8Array(0)), 'b64');
    leaf('ServerNonce', binToB64(account.serverNonce ?? new Uint8Array(0)), 'b64');
  } else {
    leaf('AppID', 'w7'); leaf('ServerID', account.serverId); leaf('Name', account.name ?? account.serverId);
    leaf('AppAddr/1/Addr', account.addr); leaf('AppAddr/1/AddrType', 'URI');
    const type = pref.startsWith('syncml:') ? pref : pref.toUpperCase();
    leaf('AAuthPref', type);
    const creds = [['CLCRED', account.clientName, account.clientSecret, account.clientNonce], ['SRVCRED', account.serverId, account.serverSecret, account.serverNonce]] as const;
    for (const [level, name, secret, nonce] of creds) {
      leaf(`AppAuth/${level}/AAuthLevel`, level); leaf(`AppAuth/${level}/AAuthType`, type.startsWith('syncml:') ? 'DIGEST' : type);
      leaf(`AppAuth/${level}/AAuthName`, name); leaf(`AppAuth/${level}/AAuthSecret`, secret);
      leaf(`AppAuth/${level}/AAuthData`, nonce ?? new Uint8Array(0), 'bin');
    }
  }
  const ms = (name: string, value: string): void => leaf(`Ext/Microsoft/${name}`, value);
  if (account.roles !== undefined) ms('Role', String(account.roles));
  if (account.protoVer !== undefined) ms('ProtoVer', account.protoVer);
  if (account.encoding !== undefined) ms('DefaultEncoding', account.encoding === 'wbxml' ? MediaType.DM_WBXML : MediaType.DM_XML);
  if (account.retry?.connRetryFreq !== undefined) ms('ConnRetryFreq', String(account.retry.connRetryFreq));
  if (account.retry?.initialBackOffMs !== undefined) ms('InitialBackOffTime', String(account.retry.initialBackOffMs));
  if (account.retry?.maxBackOffMs !== undefined) ms('MaxBackOffTime', String(account.retry.maxBackOffMs));
  if (account.backCompatRetryDisabled !== undefined) ms('BackCompatRetryDisabled', String(account.backCompatRetryDisabled));
  if (account.useNonceResync !== undefined) ms('UseNonceResync', String(account.useNonceResync));
  return out;
}
