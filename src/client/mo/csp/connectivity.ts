/**
 * Connectivity settings in the style of the WM NAP / Proxy CSPs (OMA Client Provisioning NAPDEF
 * and PXLOGICAL parameters, reference §1.12): `./Vendor/MSFT/NAP/<x>/{NAPID, NAME, NAPADDRESS,
 * NAPADDRTYPE, AUTHTYPE, AUTHNAME, AUTHSECRET, BEARER}` and `./Vendor/MSFT/Proxy/<x>/{PROXYID,
 * NAME, ADDR, ADDRTYPE, PORT, TO-NAPID}`. Values out of the CP vocabularies are 400.
 */
import { Status } from '../../../core/constants/status.js';
import { SecurityRole } from '../../../core/tree/security-role.js';
import { nodeName } from '../../../core/tree/uri.js';
import type { AccessType, NodeDescription, PluginTree, TreeChange, TreePlugin } from '../../tree/plugin.js';

/** Mount URI of network access points. */
export const NAP_URI = './Vendor/MSFT/NAP';
/** Mount URI of proxies. */
export const PROXY_URI = './Vendor/MSFT/Proxy';

/** NAPADDRTYPE values (CP NAPDEF). */
export const NAP_ADDRESS_TYPES: readonly string[] = ['IPV4', 'IPV6', 'E164', 'ALPHA', 'APN', 'SCODE', 'TETRA-ITSI', 'MAN'];
/** AUTHTYPE values (CP NAPAUTHINFO). */
export const NAP_AUTH_TYPES: readonly string[] = ['PAP', 'CHAP', 'MD5'];
/** Proxy ADDRTYPE values (CP PXPHYSICAL PXADDRTYPE). */
export const PROXY_ADDRESS_TYPES: readonly string[] = ['IPV4', 'IPV6', 'E164', 'ALPHA'];

const RW: readonly AccessType[] = ['Add', 'Delete', 'Get', 'Replace'];
const leaf = (name: string, format: string | readonly string[] = 'chr', access = RW): NodeDescription =>
  ({ name, format, access, occurrence: 'ZeroOrOne' });
const DEFAULT_ROLES = SecurityRole.OPERATOR | SecurityRole.MANAGER | SecurityRole.OPERATOR_TPS;

function textOf(v: string | Uint8Array | undefined): string {
  return v === undefined ? '' : typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
}

function check(change: TreeChange, rules: Readonly<Record<string, (v: string) => boolean>>): number | undefined {
  if (change.kind !== 'add' && change.kind !== 'replace') return undefined;
  const rule = rules[nodeName(change.uri)];
  if (rule === undefined || change.interior) return undefined;
  return rule(textOf(change.value).trim()) ? undefined : Status.BAD_REQUEST;
}

const oneOf = (values: readonly string[]) => (v: string): boolean => values.includes(v.toUpperCase());

/** The NAP plug-in. */
export function createNapPlugin(options: { roleMask?: number } = {}): TreePlugin {
  return {
    id: 'nap',
    mount: NAP_URI,
    description: {
      name: 'NAP', format: 'node', access: ['Add', 'Get'], roleMask: options.roleMask ?? DEFAULT_ROLES,
      children: [{
        name: '<x>', format: 'node', access: RW,
        children: [
          leaf('NAPID'), leaf('NAME'), leaf('NAPADDRESS'), leaf('NAPADDRTYPE'), leaf('AUTHTYPE'), leaf('AUTHNAME'),
          leaf('AUTHSECRET', 'chr', ['Add', 'Delete', 'Replace']), leaf('BEARER'),
        ],
      }],
    },
    beforeChange: (_ctx, change) => check(change, { NAPADDRTYPE: oneOf(NAP_ADDRESS_TYPES), AUTHTYPE: oneOf(NAP_AUTH_TYPES) }),
  };
}

/** The Proxy plug-in. */
export function createProxyPlugin(options: { roleMask?: number } = {}): TreePlugin {
  return {
    id: 'proxy',
    mount: PROXY_URI,
    description: {
      name: 'Proxy', format: 'node', access: ['Add', 'Get'], roleMask: options.roleMask ?? DEFAULT_ROLES,
      children: [{
        name: '<x>', format: 'node', access: RW,
        children: [leaf('PROXYID'), leaf('NAME'), leaf('ADDR'), leaf('ADDRTYPE'), leaf('PORT', ['int', 'chr']), leaf('TO-NAPID')],
      }],
    },
    beforeChange: (_ctx, change) => check(change, {
      ADDRTYPE: oneOf(PROXY_ADDRESS_TYPES),
      PORT: (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535,
    }),
  };
}

/** A network access point. */
export interface NapEntry {
  /** Node name. */
  readonly id: string;
  /** NAPID (default: the node name). */
  readonly napId: string;
  /** NAME. */
  readonly name: string;
  /** NAPADDRESS (APN, phone number, IP). */
  readonly address: string;
  /** NAPADDRTYPE. */
  readonly addressType: string;
  /** AUTHTYPE. */
  readonly authType: string;
}

/** A proxy. */
export interface ProxyEntry {
  /** Node name. */
  readonly id: string;
  /** ADDR. */
  readonly addr: string;
  /** PORT. */
  readonly port: number | undefined;
  /** TO-NAPID. */
  readonly toNapId: string;
  /** The NAP TO-NAPID refers to, when it exists. */
  readonly nap: NapEntry | undefined;
}

/** Reads the connectivity settings, resolving each proxy's TO-NAPID. */
export function readConnectivity(tree: PluginTree): { naps: NapEntry[]; proxies: ProxyEntry[] } {
  const naps = (tree.listChildren(NAP_URI) ?? []).map((id): NapEntry => {
    const r = (n: string): string => tree.readValue(`${NAP_URI}/${id}/${n}`) ?? '';
    return { id, napId: r('NAPID') || id, name: r('NAME'), address: r('NAPADDRESS'), addressType: r('NAPADDRTYPE'), authType: r('AUTHTYPE') };
  });
  const proxies = (tree.listChildren(PROXY_URI) ?? []).map((id): ProxyEntry => {
    const r = (n: string): string => tree.readValue(`${PROXY_URI}/${id}/${n}`) ?? '';
    const port = r('PORT');
    const toNapId = r('TO-NAPID');
    return { id, addr: r('ADDR'), port: port === '' ? undefined : Number(port), toNapId, nap: naps.find((n) => n.napId === toNapId) };
  });
  return { naps, proxies };
}
