/**
 * Installing an accepted provisioning document into the device tree: every w7 APPLICATION
 * becomes a DM account, NAPDEF and PXLOGICAL go to the NAP / Proxy CSPs when the tree has them.
 * All-or-nothing: the whole document is validated before the first write, and the writes run in
 * one tree savepoint, so an invalid document changes nothing (reference §1.12, §1.13).
 */
import { CodecError, ErrorCode } from '../../core/errors.js';
import { childCharacteristics, type CpDocument } from '../../core/provisioning/cp-document.js';
import { parseNapDef, parsePxLogical, type NapDef, type PxLogical } from '../../core/provisioning/connectivity.js';
import type { CpSecMethod } from '../../core/provisioning/cp-security.js';
import { findW7, parseW7, type W7Application } from '../../core/provisioning/w7.js';
import { SecurityRole } from '../../core/tree/security-role.js';
import { ACCOUNT_ROLE_BITS } from '../mo/dmacc.js';
import { NAP_URI, PROXY_URI } from '../mo/csp/connectivity.js';
import type { ManagementTree } from '../tree/management-tree.js';
import { applyInitialNodes, type InitialNode } from '../tree/tree-template.js';
import { w7AccountNodes, w7AccountUri, type DmAccLayout } from './w7-account.js';

/** One account a document created or replaced. */
export interface InstalledAccount {
  readonly serverId: string;
  /** Account node URI. */
  readonly uri: string;
  /** Roles stored with the account. */
  readonly roles: number;
  /** INIT: the server wants a session right away. */
  readonly init: boolean;
  /** The typed application. */
  readonly app: W7Application;
}

/** Options of {@link installCpDocument}. */
export interface InstallCpOptions {
  /**
   * Roles the document carries (decided by how it was authenticated, see {@link rolesForSecurity}).
   * An account gets its ROLE parm, which must be a subset of these, or else all of them that an
   * account may hold.
   */
  readonly messageRoles: number;
  /** DMAcc layout (default `1.2`). */
  readonly layout?: DmAccLayout;
  /** DMAcc mount (default `./SyncML/DMAcc`). */
  readonly mount?: string;
}

/**
 * Roles of a pushed document by its security method. Our choice (Windows Mobile's policy tables
 * are not public, reference §1.13): a network PIN proves the operator, a user PIN the user; both
 * may create a MANAGER account, the role of the WM bootstrap example.
 */
export function rolesForSecurity(sec: CpSecMethod | undefined): number {
  switch (sec) {
    case 'NETWPIN': return SecurityRole.OPERATOR | SecurityRole.MANAGER;
    case 'USERNETWPIN': return SecurityRole.OPERATOR | SecurityRole.MANAGER | SecurityRole.USER_AUTH;
    case 'USERPIN': case 'USERPINMAC': return SecurityRole.MANAGER | SecurityRole.USER_AUTH;
    default: return SecurityRole.MANAGER;
  }
}

/** What a document will do once installed: the checked accounts and connectivity entries. */
export interface CpInstallPlan {
  readonly accounts: readonly InstalledAccount[];
  readonly naps: readonly NapDef[];
  readonly proxies: readonly PxLogical[];
}

/**
 * Checks a document without touching the tree.
 *
 * @throws CodecError ERR_CP_INVALID naming the bad parm (or the ROLE the document may not grant).
 */
export function planCpInstall(doc: CpDocument, options: InstallCpOptions): CpInstallPlan {
  const apps = findW7(doc).map(parseW7);
  const seen = new Set<string>();
  const accounts = apps.map((app): InstalledAccount => {
    if (seen.has(app.providerId)) throw invalid('APPLICATION/PROVIDER-ID', `two w7 applications for server ${app.providerId}`);
    seen.add(app.providerId);
    return { serverId: app.providerId, uri: w7AccountUri(app, options), roles: accountRoles(app, options.messageRoles), init: app.init, app };
  });
  const naps = childCharacteristics(doc, 'NAPDEF').map(parseNapDef);
  const proxies = childCharacteristics(doc, 'PXLOGICAL').map(parsePxLogical);
  if (accounts.length === 0 && naps.length === 0 && proxies.length === 0) {
    throw invalid('wap-provisioningdoc', 'nothing this device can apply (no w7 APPLICATION, NAPDEF or PXLOGICAL)');
  }
  return { accounts, naps, proxies };
}

/**
 * Validates and installs a document. An existing account of the same server is replaced.
 *
 * @throws CodecError ERR_CP_INVALID, with the tree unchanged.
 */
export function installCpDocument(tree: ManagementTree, doc: CpDocument, options: InstallCpOptions): InstalledAccount[] {
  const plan = planCpInstall(doc, options);
  const nodes: InitialNode[] = [
    ...plan.accounts.flatMap((a) => w7AccountNodes(a.app, { roles: a.roles, ...layoutOptions(options) })),
    ...(tree.describe(tree.canonical(NAP_URI)) === undefined ? [] : plan.naps.flatMap(napNodes)),
    ...(tree.describe(tree.canonical(PROXY_URI)) === undefined ? [] : plan.proxies.flatMap(proxyNodes)),
  ];
  const sp = tree.savepoint();
  try {
    for (const a of plan.accounts) tree.deleteNode(a.uri);
    applyInitialNodes(tree, nodes);
    sp.commit();
  } catch (err) {
    sp.rollback();
    throw err instanceof CodecError ? err : invalid('wap-provisioningdoc', `the tree refused the document: ${(err as Error).message}`, err);
  }
  return [...plan.accounts];
}

function layoutOptions(o: InstallCpOptions): { layout?: DmAccLayout; mount?: string } {
  return { ...(o.layout === undefined ? {} : { layout: o.layout }), ...(o.mount === undefined ? {} : { mount: o.mount }) };
}

/**
 * ROLE when present (it may not exceed the document's roles: "an account cannot hold more roles
 * than the bootstrap", reference §1.13), else the document's roles an account may hold.
 */
function accountRoles(app: W7Application, messageRoles: number): number {
  if (app.role !== undefined) {
    if ((app.role & ~messageRoles) >>> 0 !== 0) {
      throw invalid('APPLICATION/ROLE', `role ${app.role} exceeds the roles this document was authenticated for (${messageRoles})`);
    }
    return app.role;
  }
  const roles = (messageRoles & ACCOUNT_ROLE_BITS) >>> 0;
  return roles === 0 ? SecurityRole.MANAGER : roles;
}

/** NAP CSP node name for an id: the id itself when it is a plain URI segment. */
function segment(id: string): string {
  return /^[A-Za-z0-9._~-]{1,64}$/.test(id) ? id : Buffer.from(id, 'utf8').toString('hex').slice(0, 64);
}

function napNodes(n: NapDef): InitialNode[] {
  const uri = `${NAP_URI}/${segment(n.napId)}`;
  const auth = n.auth[0];
  const leaves: [string, string | undefined][] = [
    ['NAPID', n.napId], ['NAME', n.name], ['NAPADDRESS', n.napAddress], ['NAPADDRTYPE', n.napAddrType],
    ['BEARER', n.bearers[0]], ['AUTHTYPE', auth?.authType], ['AUTHNAME', auth?.authName], ['AUTHSECRET', auth?.authSecret],
  ];
  return [{ uri, format: 'node' }, ...leaves.filter(([, v]) => v !== undefined).map(([k, v]) => ({ uri: `${uri}/${k}`, value: v as string }))];
}

function proxyNodes(p: PxLogical): InitialNode[] {
  const uri = `${PROXY_URI}/${segment(p.proxyId)}`;
  const phys = p.physical[0];
  const port = phys?.ports[0] ?? p.ports[0];
  const leaves: [string, string | undefined][] = [
    ['PROXYID', p.proxyId], ['NAME', p.name], ['ADDR', phys?.pxAddr], ['ADDRTYPE', phys?.pxAddrType],
    ['PORT', port === undefined ? undefined : String(port.portNbr)], ['TO-NAPID', phys?.toNapIds[0]],
  ];
  return [{ uri, format: 'node' }, ...leaves.filter(([, v]) => v !== undefined).map(([k, v]) => ({ uri: `${uri}/${k}`, value: v as string }))];
}

function invalid(path: string, message: string, cause?: unknown): CodecError {
  return new CodecError(ErrorCode.ERR_CP_INVALID, `${path}: ${message}`, { path }, cause === undefined ? undefined : { cause });
}
