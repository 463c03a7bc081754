/**
 * Registry configuration service provider (`./Vendor/MSFT/Registry`, reference §1.4, §1.6):
 * interior nodes are registry keys, leaves are values. The leaf Format gives the value type:
 * `int` REG_DWORD, `chr` REG_SZ, `bin` (or `b64` in transit) REG_BINARY, `mchr` REG_MULTI_SZ
 * (WM metabase datatypes, reference §2.8). Other formats (bool, float, date…) are 415.
 */
import { SecurityRole } from '../../../core/tree/security-role.js';
import type { PluginTree, TreePlugin } from '../../tree/plugin.js';
import type { InitialNode } from '../../tree/tree-template.js';

/** Mount URI of the Registry CSP. */
export const REGISTRY_URI = './Vendor/MSFT/Registry';
/** Root keys. */
export const REGISTRY_HIVES: readonly string[] = ['HKLM', 'HKCU', 'HKCR', 'HKU'];
/** Formats a registry node may have (the first is the default of an Add without Meta Format). */
export const REGISTRY_FORMATS: readonly string[] = ['chr', 'int', 'bin', 'mchr', 'node'];

/** Registry value types. */
export type RegistryType = 'REG_DWORD' | 'REG_SZ' | 'REG_BINARY' | 'REG_MULTI_SZ';

const TYPE_OF_FORMAT: Readonly<Record<string, RegistryType>> = {
  int: 'REG_DWORD', chr: 'REG_SZ', bin: 'REG_BINARY', mchr: 'REG_MULTI_SZ',
};
const FORMAT_OF_TYPE: Readonly<Record<RegistryType, string>> = {
  REG_DWORD: 'int', REG_SZ: 'chr', REG_BINARY: 'bin', REG_MULTI_SZ: 'mchr',
};

/** The Registry plug-in. */
export function createRegistryPlugin(options: { roleMask?: number } = {}): TreePlugin {
  return {
    id: 'registry',
    mount: REGISTRY_URI,
    description: {
      name: 'Registry', format: 'node', access: ['Get'],
      roleMask: options.roleMask ?? SecurityRole.OPERATOR | SecurityRole.MANAGER,
      children: REGISTRY_HIVES.map((hive) => ({
        name: hive, format: 'node', access: ['Add', 'Get'], open: true, openFormats: REGISTRY_FORMATS,
      })),
    },
  };
}

/** URI of a key (`HKLM\Software\Foo`) or of one of its values. */
export function registryUri(keyPath: string, valueName?: string): string {
  const parts = keyPath.split('\\').filter((p) => p !== '');
  if (valueName !== undefined) parts.push(valueName);
  return `${REGISTRY_URI}/${parts.map((p) => encodeURIComponent(p)).join('/')}`;
}

/** One registry value. */
export interface RegistryValue {
  /** Key path, `HKLM\Software\Foo`. */
  readonly key: string;
  /** Value name. */
  readonly name: string;
  /** Value type. */
  readonly type: RegistryType;
  /** Data: number for REG_DWORD, bytes for REG_BINARY, text otherwise. */
  readonly data: number | string | Uint8Array;
}

/** Reads a value, or undefined when missing. */
export function readRegistryValue(tree: PluginTree, keyPath: string, valueName: string): RegistryValue | undefined {
  const uri = registryUri(keyPath, valueName);
  const format = tree.readFormat(uri);
  const type = format === undefined ? undefined : TYPE_OF_FORMAT[format];
  if (type === undefined) return undefined;
  const data = type === 'REG_DWORD' ? Number(tree.readValue(uri)) : type === 'REG_BINARY' ? tree.readBytes(uri) : tree.readValue(uri);
  return data === undefined ? undefined : { key: keyPath, name: valueName, type, data };
}

/** Provisioning nodes for registry values (profile form). */
export function registryNodes(values: readonly RegistryValue[]): InitialNode[] {
  return values.map((v) => ({
    uri: registryUri(v.key, v.name),
    format: FORMAT_OF_TYPE[v.type],
    value: v.data instanceof Uint8Array ? v.data : String(v.data),
  }));
}
