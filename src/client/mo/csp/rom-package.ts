/**
 * ROMPackage configuration service provider (`./Vendor/MSFT/ROMPackage/<id>/Version`; reference
 * §1.11, §5): the read-only list of ROM package versions a server queries before choosing a
 * firmware update package.
 */
import type { TreePlugin } from '../../tree/plugin.js';
import type { InitialNode } from '../../tree/tree-template.js';

/** Mount URI of the ROMPackage CSP. */
export const ROM_PACKAGE_URI = './Vendor/MSFT/ROMPackage';

/** One installed ROM package. */
export interface RomPackage {
  /** Package id (node name; WM uses the package GUID). */
  readonly id: string;
  /** Version (`1.2.3`; WM recommends three-digit versions). */
  readonly version: string;
  /** Display name. */
  readonly name?: string;
}

/** The ROMPackage plug-in (every node Get-only). */
export function createRomPackagePlugin(options: { roleMask?: number } = {}): TreePlugin {
  return {
    id: 'rompackage',
    mount: ROM_PACKAGE_URI,
    description: {
      name: 'ROMPackage', format: 'node', access: ['Get'], acl: 'Get=*',
      ...(options.roleMask !== undefined ? { roleMask: options.roleMask } : {}),
      children: [{
        name: '<x>', format: 'node', access: ['Get'],
        children: [
          { name: 'Version', format: 'chr', access: ['Get'] },
          { name: 'Name', format: 'chr', access: ['Get'], occurrence: 'ZeroOrOne' },
        ],
      }],
    },
  };
}

/** Provisioning nodes for the installed packages. */
export function romPackageNodes(packages: readonly RomPackage[]): InitialNode[] {
  return packages.flatMap((p) => [
    { uri: `${ROM_PACKAGE_URI}/${encodeURIComponent(p.id)}/Version`, value: p.version },
    ...(p.name !== undefined ? [{ uri: `${ROM_PACKAGE_URI}/${encodeURIComponent(p.id)}/Name`, value: p.name }] : []),
  ]);
}
