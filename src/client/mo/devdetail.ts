/**
 * DevDetail management object (`./DevDetail`, urn:oma:mo:oma-dm-devdetail:1.0; OMA-TS-DM_StdObj;
 * reference §1.4): URI limits, versions and capabilities. Get-only for servers; the FUMO plug-in
 * changes FwV / SwV through agent-internal writes after an update.
 */
import { MoId } from '../../core/constants/mo-ids.js';
import type { NodeUriOptions } from '../../core/tree/uri.js';
import type { NodeDescription, TreePlugin } from '../tree/plugin.js';
import type { InitialNode } from '../tree/tree-template.js';

/** Mount URI of DevDetail. */
export const DEVDETAIL_URI = './DevDetail';

/** DevDetail values of a device. */
export interface DevDetailValues {
  /** DevTyp: device type (`phone`, `smartphone`, …). */
  readonly devTyp: string;
  /** OEM. */
  readonly oem: string;
  /** FwV: firmware version. */
  readonly fwV: string;
  /** SwV: software version. */
  readonly swV: string;
  /** HwV: hardware version. */
  readonly hwV: string;
  /** LrgObj: the client accepts large objects. */
  readonly lrgObj: boolean;
  /** URI limits the tree enforces (reported as URI/MaxDepth, MaxTotLen, MaxSegLen; 0 = unlimited). */
  readonly limits: NodeUriOptions;
  /** Leaves under DevDetail/Ext. */
  readonly ext?: Readonly<Record<string, string>>;
  /** Leaves under DevDetail/Bearer. */
  readonly bearer?: Readonly<Record<string, string>>;
}

const leaf = (name: string, format = 'chr'): NodeDescription => ({ name, format, access: ['Get'] });
const optionalBranch = (name: string): NodeDescription => ({
  name, format: 'node', access: ['Get'], occurrence: 'ZeroOrOne', permanent: true,
  children: [{ name: '<x>', format: '*', access: ['Get'], permanent: true }],
});

/** The DevDetail plug-in; `extra` adds vendor leaves (Get-only). */
export function createDevDetailPlugin(options: { extra?: readonly NodeDescription[]; roleMask?: number } = {}): TreePlugin {
  return {
    id: 'devdetail',
    mount: DEVDETAIL_URI,
    description: {
      name: 'DevDetail', format: 'node', access: ['Get'], type: MoId.DEVDETAIL, acl: 'Get=*',
      ...(options.roleMask !== undefined ? { roleMask: options.roleMask } : {}),
      children: [
        { name: 'URI', format: 'node', access: ['Get'], children: [leaf('MaxDepth', 'int'), leaf('MaxTotLen', 'int'), leaf('MaxSegLen', 'int')] },
        leaf('DevTyp'), leaf('OEM'), leaf('FwV'), leaf('SwV'), leaf('HwV'), leaf('LrgObj', 'bool'),
        optionalBranch('Ext'), optionalBranch('Bearer'),
        ...(options.extra ?? []),
      ],
    },
  };
}

/** The nodes holding `values`. */
export function devDetailNodes(values: DevDetailValues): InitialNode[] {
  const out: InitialNode[] = [
    { uri: `${DEVDETAIL_URI}/URI/MaxDepth`, value: String(values.limits.maxDepth ?? 0) },
    { uri: `${DEVDETAIL_URI}/URI/MaxTotLen`, value: String(values.limits.maxTotLen ?? 0) },
    { uri: `${DEVDETAIL_URI}/URI/MaxSegLen`, value: String(values.limits.maxSegLen ?? 0) },
    { uri: `${DEVDETAIL_URI}/DevTyp`, value: values.devTyp },
    { uri: `${DEVDETAIL_URI}/OEM`, value: values.oem },
    { uri: `${DEVDETAIL_URI}/FwV`, value: values.fwV },
    { uri: `${DEVDETAIL_URI}/SwV`, value: values.swV },
    { uri: `${DEVDETAIL_URI}/HwV`, value: values.hwV },
    { uri: `${DEVDETAIL_URI}/LrgObj`, value: values.lrgObj ? 'true' : 'false' },
  ];
  for (const [branch, leaves] of [['Ext', values.ext], ['Bearer', values.bearer]] as const) {
    if (leaves === undefined) continue;
    out.push({ uri: `${DEVDETAIL_URI}/${branch}`, format: 'node' });
    for (const [k, v] of Object.entries(leaves)) out.push({ uri: `${DEVDETAIL_URI}/${branch}/${k}`, value: v, format: 'chr' });
  }
  return out;
}
