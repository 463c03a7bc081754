/**
 * DM account management object (reference §1.5, §4, §5). One description covers both layouts
 * under the same account node, as Windows does (DMAcc and DMS share one data store; Win10 mounts
 * 1.2 accounts at `./SyncML/DMAcc/{AccountUID}`): the DM 1.1.2 leaves (Addr, ServerId, ClientPW…)
 * and the DM 1.2 `urn:oma:mo:oma-dm-dmacc:1.0` nodes (AppAddr, AppAuth, Ext/Microsoft…).
 */
import { createHash } from 'node:crypto';
import { Status } from '../../core/constants/status.js';
import { MoId } from '../../core/constants/mo-ids.js';
import { SecurityRole } from '../../core/tree/security-role.js';
import { nodeName, parentUri } from '../../core/tree/uri.js';
import type { AccessType, NodeDescription, PluginContext, TreeChange, TreePlugin } from '../tree/plugin.js';

/** Default mount of DM accounts (both layouts). */
export const DMACC_URI = './SyncML/DMAcc';

const RW: readonly AccessType[] = ['Add', 'Delete', 'Get', 'Replace'];
const SECRET: readonly AccessType[] = ['Add', 'Delete', 'Replace'];
const leaf = (name: string, format: string | readonly string[] = 'chr', access = RW): NodeDescription =>
  ({ name, format, access, occurrence: 'ZeroOrOne' });
const branch = (name: string, children: readonly NodeDescription[], extra: Partial<NodeDescription> = {}): NodeDescription =>
  ({ name, format: 'node', access: RW, occurrence: 'ZeroOrOne', children, ...extra });
const FLAG = ['bool', 'int', 'chr', 'null'];

/** Ext/Microsoft nodes (Win10 DMAcc CSP; reference §4, §5). */
const MICROSOFT: readonly NodeDescription[] = [
  leaf('ConnRetryFreq', ['int', 'chr']), leaf('InitialBackOffTime', ['int', 'chr']), leaf('MaxBackOffTime', ['int', 'chr']),
  leaf('BackCompatRetryDisabled', FLAG), leaf('ProtoVer'), leaf('DefaultEncoding'), leaf('UseHwDevID', FLAG),
  leaf('UseNonceResync', FLAG), leaf('Role', ['int', 'chr']), leaf('InitiateSession', ['null', 'chr', 'bool', 'int']), leaf('CRLCheck', FLAG),
  leaf('DisableOnRoaming', FLAG), leaf('SSLCLIENTCERTSEARCHCRITERIA'),
];

/** Description of one account node `<x>` (both layouts). */
export const DMACC_ACCOUNT_DESCRIPTION: NodeDescription = {
  name: '<x>', format: 'node', access: RW, occurrence: 'ZeroOrMore', type: MoId.DMACC,
  children: [
    // DM 1.1.2 (WM DMAcc CSP)
    leaf('Addr'), leaf('AddrType', ['chr', 'int']), leaf('PortNbr', ['chr', 'int']), leaf('ConRef'), leaf('ServerId'),
    leaf('ServerPW', 'chr', SECRET), leaf('ServerNonce', ['chr', 'b64', 'bin'], SECRET), leaf('UserName'),
    leaf('ClientPW', 'chr', SECRET), leaf('ClientNonce', ['chr', 'b64', 'bin'], SECRET), leaf('AuthPref'), leaf('Name'),
    // DM 1.2 (OMA DMAcc MO / WM DMS CSP)
    leaf('AppID'), leaf('ServerID'), leaf('PrefConRef'),
    branch('ToConRef', [{ name: '<x>', format: 'node', access: RW, children: [leaf('ConRef')] }]),
    branch('AppAddr', [{
      name: '<x>', format: 'node', access: RW,
      children: [leaf('Addr'), leaf('AddrType'), branch('Port', [{ name: '<x>', format: 'node', access: RW, children: [leaf('PortNbr', ['int', 'chr'])] }])],
    }]),
    leaf('AAuthPref'),
    branch('AppAuth', [{
      name: '<x>', format: 'node', access: RW,
      children: [
        leaf('AAuthLevel'), leaf('AAuthType'), leaf('AAuthName'), leaf('AAuthSecret', 'chr', SECRET),
        leaf('AAuthData', ['bin', 'b64'], SECRET),
      ],
    }]),
    branch('Ext', [branch('Microsoft', MICROSOFT, { open: true })], { open: true }),
  ],
};

/** AAuthLevel values (OMA DMAcc). */
export const AAUTH_LEVELS: readonly string[] = ['CLCRED', 'SRVCRED', 'OBEX', 'HTTP'];
/** AAuthType values (OMA DMAcc). */
export const AAUTH_TYPES: readonly string[] = [
  'HTTP-BASIC', 'HTTP-DIGEST', 'BASIC', 'DIGEST', 'HMAC', 'X509', 'SECURID', 'SAFEWORD', 'DIGIPASS', 'TRANSPORT',
];
/** Role bits a DM account may hold (Win10 DMAcc Ext/Microsoft/Role: 4, 8, 16, 128; 32 enterprise). */
export const ACCOUNT_ROLE_BITS = SecurityRole.OPERATOR | SecurityRole.MANAGER | SecurityRole.USER_AUTH |
  SecurityRole.ENTERPRISE | SecurityRole.OPERATOR_TPS;
/** Default role mask of the DMAcc sub-tree in role mode (Operator, Manager, Operator-TPS; reference §1.6). */
export const DMACC_ROLE_MASK = SecurityRole.OPERATOR | SecurityRole.MANAGER | SecurityRole.OPERATOR_TPS;

/** Options of {@link createDmAccPlugin}. */
export interface DmAccPluginOptions {
  /** Mount URI (default `./SyncML/DMAcc`; AOSP-style trees also use `./DMAcc`). */
  readonly mount?: string;
  /** Role mask of the sub-tree (role mode). */
  readonly roleMask?: number;
  /** ACL of the mount node (default `Add=*&Get=*`: a server's new account gets its creator ACL). */
  readonly acl?: string;
  /** Called when a server adds `Ext/Microsoft/InitiateSession` (start a session with that account). */
  readonly onInitiateSession?: (ctx: PluginContext, accountUri: string) => void;
}

/** The DMAcc plug-in. */
export function createDmAccPlugin(options: DmAccPluginOptions = {}): TreePlugin {
  const mount = options.mount ?? DMACC_URI;
  return {
    id: mount === DMACC_URI ? 'dmacc' : `dmacc:${mount}`,
    mount,
    description: {
      name: nodeNameOf(mount), format: 'node', access: ['Add', 'Get'], acl: options.acl ?? 'Add=*&Get=*',
      roleMask: options.roleMask ?? DMACC_ROLE_MASK, children: [DMACC_ACCOUNT_DESCRIPTION],
    },
    beforeChange: (ctx, change) => checkAccountChange(ctx, change),
    afterChange: (ctx, change) => {
      if (change.kind === 'add' && nodeName(change.uri) === 'InitiateSession' && options.onInitiateSession !== undefined) {
        options.onInitiateSession(ctx, accountUriOf(ctx, change.uri));
      }
    },
  };
}

function nodeNameOf(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/** URI of the account node that contains `uri`. */
function accountUriOf(ctx: PluginContext, uri: string): string {
  const rest = uri.slice(ctx.mount.length + 1);
  return `${ctx.mount}/${rest.split('/')[0] ?? ''}`;
}

function textOf(value: string | Uint8Array | undefined): string {
  return value === undefined ? '' : typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
}

function checkAccountChange(ctx: PluginContext, change: TreeChange): number | undefined {
  const name = nodeName(change.uri);
  if (change.kind === 'delete' && parentUri(change.uri) === ctx.mount) {
    // TND §7.7.1: the deleted server's id is scrubbed from every ACL.
    const serverId = ctx.tree.readValue(`${change.uri}/ServerID`) ?? ctx.tree.readValue(`${change.uri}/ServerId`);
    if (serverId && ctx.tree.accessMode === 'acl') ctx.tree.scrubServerId(serverId);
    return undefined;
  }
  if (change.kind !== 'add' && change.kind !== 'replace') return undefined;
  const value = textOf(change.value).trim();
  if (name === 'AAuthLevel' && !AAUTH_LEVELS.includes(value)) return Status.BAD_REQUEST;
  if (name === 'AAuthType' && value !== '' && !AAUTH_TYPES.includes(value)) return Status.BAD_REQUEST;
  if (name === 'Role' && parentUri(change.uri)?.endsWith('/Ext/Microsoft')) {
    const role = Number(value);
    if (!/^\d+$/.test(value) || role === 0 || (role & ~ACCOUNT_ROLE_BITS) !== 0) return Status.BAD_REQUEST;
    // Reference §1.13: an account cannot hold roles the creating session lacks.
    if (ctx.tree.accessMode === 'roles' && (role & ~change.caller.roles) !== 0) return Status.PERMISSION_DENIED;
  }
  return undefined;
}

/** Default account node name: upper-case hex SHA-1 of the server id (WM6.5; Win10 uses SHA-256). */
export function accountNodeName(serverId: string): string {
  return createHash('sha1').update(serverId, 'utf8').digest('hex').toUpperCase();
}
