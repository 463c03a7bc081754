/**
 * A w7 application as DM account nodes (reference §1.5, §1.12 "w7 → DMS mapping", §4, §5), in
 * either layout of the DMAcc MO: DM 1.2 (`urn:oma:mo:oma-dm-dmacc:1.0`, WM's DMS CSP) or DM 1.1.2
 * (WM's DMAcc CSP). The account node is named by the upper-case hex SHA-1 of PROVIDER-ID, as
 * Windows Mobile 6.5 names w7 accounts. The table is repeated in docs/reference/client-provisioning.md.
 */
import { fromBase64Strict } from '../../core/auth/bytes.js';
import { AuthType } from '../../core/constants/meta-types.js';
import type { W7AppAuth, W7Application } from '../../core/provisioning/w7.js';
import { formatRoleMask } from '../../core/tree/security-role.js';
import { accountNodeName, DMACC_URI } from '../mo/dmacc.js';
import type { InitialNode } from '../tree/tree-template.js';

/** Which DMAcc layout to write. */
export type DmAccLayout = '1.1' | '1.2';

/** Options of {@link w7AccountNodes}. */
export interface W7AccountOptions {
  /** Account roles to store in Ext/Microsoft/Role (decided by the installer). */
  readonly roles: number;
  /** DMAcc layout (default `1.2`). */
  readonly layout?: DmAccLayout;
  /** DMAcc mount (default `./SyncML/DMAcc`). */
  readonly mount?: string;
  /** Account node name (default: upper-case hex SHA-1 of PROVIDER-ID). */
  readonly nodeName?: string;
}

/** w7 AAUTHLEVEL → DMAcc 1.2 AAuthLevel (reference §2.5). */
export const AAUTH_LEVEL_MAP: Readonly<Record<string, string>> = { APPSRV: 'CLCRED', CLIENT: 'SRVCRED', OBEX: 'OBEX' };
/** ProvCont ADDRTYPE → DMAcc 1.2 AddrType (`URI`, `IPv4`, `IPv6`). */
const ADDR_TYPE_MAP: Readonly<Record<string, string>> = { URI: 'URI', IPV4: 'IPv4', IPV6: 'IPv6' };

/** The URI of the account a w7 application becomes. */
export function w7AccountUri(app: W7Application, options: Pick<W7AccountOptions, 'mount' | 'nodeName'> = {}): string {
  return `${options.mount ?? DMACC_URI}/${options.nodeName ?? accountNodeName(app.providerId)}`;
}

/**
 * The nodes of the account. The account node's ACL gives its server Add, Delete, Get and Replace
 * (OMA DM Bootstrap §3.1.3.4 requires Get, Replace and Delete; Add lets the server extend it).
 */
export function w7AccountNodes(app: W7Application, options: W7AccountOptions): InitialNode[] {
  const uri = w7AccountUri(app, options);
  const id = app.providerId;
  const out: InitialNode[] = [{ uri, format: 'node', acl: `Add=${id}&Delete=${id}&Get=${id}&Replace=${id}` }];
  const leaf = (name: string, value: string | Uint8Array | undefined, format?: string): void => {
    if (value !== undefined) out.push({ uri: `${uri}/${name}`, value, ...(format === undefined ? {} : { format }) });
  };
  if ((options.layout ?? '1.2') === '1.2') layout12(app, leaf);
  else layout11(app, leaf);
  // Ext/Microsoft: the Windows knobs (reference §4, §5); presence flags become bool true.
  const ms = (name: string, value: string | number | undefined, format?: string): void =>
    leaf(`Ext/Microsoft/${name}`, value === undefined ? undefined : String(value), format);
  ms('Role', formatRoleMask(options.roles));
  ms('ProtoVer', app.protoVer);
  ms('DefaultEncoding', app.defaultEncoding);
  ms('ConnRetryFreq', app.connRetryFreq);
  ms('InitialBackOffTime', app.initialBackoffTime);
  ms('MaxBackOffTime', app.maxBackoffTime);
  if (app.backCompatRetryDisabled) ms('BackCompatRetryDisabled', 'true', 'bool');
  if (app.useHwDevId) ms('UseHwDevID', 'true', 'bool');
  ms('SSLCLIENTCERTSEARCHCRITERIA', app.sslClientCertSearchCriteria);
  return out;
}

type Leaf = (name: string, value: string | Uint8Array | undefined, format?: string) => void;

function layout12(app: W7Application, leaf: Leaf): void {
  leaf('AppID', 'w7');
  leaf('ServerID', app.providerId);
  leaf('Name', app.name ?? app.providerId);
  leaf('PrefConRef', app.toNapIds[0]);
  app.toNapIds.forEach((nap, i) => leaf(`ToConRef/${i + 1}/ConRef`, nap));
  app.addresses.forEach((a, i) => {
    const at = `AppAddr/${i + 1}`;
    leaf(`${at}/Addr`, a.addr);
    leaf(`${at}/AddrType`, ADDR_TYPE_MAP[a.addrType ?? 'URI'] ?? a.addrType);
    a.ports.forEach((p, j) => leaf(`${at}/Port/${j + 1}/PortNbr`, String(p.portNbr), 'int'));
  });
  for (const auth of app.appAuths) {
    const level = AAUTH_LEVEL_MAP[auth.level] ?? auth.level;
    const at = `AppAuth/${level}`;
    leaf(`${at}/AAuthLevel`, level);
    leaf(`${at}/AAuthType`, auth.type);
    // The server authenticates as its ServerID unless CLIENT names another (reference §2.5).
    leaf(`${at}/AAuthName`, auth.name ?? (auth.level === 'CLIENT' ? app.providerId : undefined));
    leaf(`${at}/AAuthSecret`, auth.secret);
    // AAUTHDATA is the nonce in base64; the account keeps the decoded bytes (Format bin).
    leaf(`${at}/AAuthData`, nonceOf(auth), 'bin');
  }
}

function layout11(app: W7Application, leaf: Leaf): void {
  const first = app.addresses[0];
  const client = app.appAuths.find((a) => a.level === 'APPSRV');
  const server = app.appAuths.find((a) => a.level === 'CLIENT');
  leaf('ServerId', app.providerId);
  leaf('Name', app.name ?? app.providerId);
  leaf('Addr', first?.addr);
  // DM 1.1.2 leaves AddrType's encoding open (reference §1.5 [U]); we write the 1.2 name.
  leaf('AddrType', first === undefined ? undefined : (ADDR_TYPE_MAP[first.addrType ?? 'URI'] ?? first.addrType));
  leaf('PortNbr', first?.ports[0] === undefined ? undefined : String(first.ports[0].portNbr));
  leaf('ConRef', app.toNapIds[0]);
  leaf('AuthPref', syncmlAuthType(client?.type));
  leaf('UserName', client?.name);
  leaf('ClientPW', client?.secret);
  leaf('ClientNonce', client?.data ?? '', 'b64');
  leaf('ServerPW', server?.secret);
  leaf('ServerNonce', server?.data ?? '', 'b64');
}

/** w7 AAUTHTYPE → SyncML auth type (BASIC → syncml:auth-basic, DIGEST → syncml:auth-md5; reference §1.12). */
export function syncmlAuthType(type: string | undefined): string | undefined {
  switch (type?.split(',')[0]?.trim()) {
    case undefined: return undefined;
    case 'BASIC': case 'HTTP-BASIC': return AuthType.BASIC;
    case 'DIGEST': case 'HTTP-DIGEST': return AuthType.MD5;
    case 'HMAC': return AuthType.HMAC;
    default: return type;
  }
}

function nonceOf(auth: W7AppAuth): Uint8Array {
  return auth.data === undefined ? new Uint8Array(0) : (fromBase64Strict(auth.data) ?? new Uint8Array(0));
}
