/**
 * DevInfo management object (`./DevInfo`, urn:oma:mo:oma-dm-devinfo:1.0; OMA-TS-DM_StdObj;
 * reference §1.4): the device identity sent in every Package 1. Every node is Get-only.
 */
import { MoId } from '../../core/constants/mo-ids.js';
import type { NodeDescription, TreePlugin } from '../tree/plugin.js';
import type { InitialNode } from '../tree/tree-template.js';

/** Mount URI of DevInfo. */
export const DEVINFO_URI = './DevInfo';

/** DevInfo values of a device. */
export interface DevInfoValues {
  /** DevId: unique id, a URN (`imei:…`, `urn:uuid:…`). */
  readonly devId: string;
  /** Man: manufacturer. */
  readonly man: string;
  /** Mod: model. */
  readonly mod: string;
  /** DmV: DM client version (`1.2`). */
  readonly dmV: string;
  /** Lang: UI language (RFC 1766 tag). */
  readonly lang: string;
  /** Leaves under DevInfo/Ext. */
  readonly ext?: Readonly<Record<string, string>>;
  /** Leaves under DevInfo/Bearer. */
  readonly bearer?: Readonly<Record<string, string>>;
}

const leaf = (name: string): NodeDescription => ({ name, format: 'chr', access: ['Get'] });
const optionalBranch = (name: string): NodeDescription => ({
  name, format: 'node', access: ['Get'], occurrence: 'ZeroOrOne', permanent: true,
  children: [{ name: '<x>', format: '*', access: ['Get'], permanent: true }],
});

/** The DevInfo plug-in; `extra` adds vendor leaves (Get-only) next to the standard ones. */
export function createDevInfoPlugin(options: { extra?: readonly NodeDescription[]; roleMask?: number } = {}): TreePlugin {
  return {
    id: 'devinfo',
    mount: DEVINFO_URI,
    description: {
      name: 'DevInfo', format: 'node', access: ['Get'], type: MoId.DEVINFO, acl: 'Get=*',
      ...(options.roleMask !== undefined ? { roleMask: options.roleMask } : {}),
      children: [
        leaf('DevId'), leaf('Man'), leaf('Mod'), leaf('DmV'), leaf('Lang'),
        optionalBranch('Ext'), optionalBranch('Bearer'),
        ...(options.extra ?? []),
      ],
    },
  };
}

/** The nodes holding `values`. */
export function devInfoNodes(values: DevInfoValues): InitialNode[] {
  const out: InitialNode[] = [
    { uri: `${DEVINFO_URI}/DevId`, value: values.devId },
    { uri: `${DEVINFO_URI}/Man`, value: values.man },
    { uri: `${DEVINFO_URI}/Mod`, value: values.mod },
    { uri: `${DEVINFO_URI}/DmV`, value: values.dmV },
    { uri: `${DEVINFO_URI}/Lang`, value: values.lang },
  ];
  for (const [branch, leaves] of [['Ext', values.ext], ['Bearer', values.bearer]] as const) {
    if (leaves === undefined) continue;
    out.push({ uri: `${DEVINFO_URI}/${branch}`, format: 'node' });
    for (const [k, v] of Object.entries(leaves)) out.push({ uri: `${DEVINFO_URI}/${branch}/${k}`, value: v, format: 'chr' });
  }
  return out;
}
