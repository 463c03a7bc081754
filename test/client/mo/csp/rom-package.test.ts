import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Status } from '../../../../src/core/constants/status.js';
import { createRomPackagePlugin, romPackageNodes } from '../../../../src/client/mo/csp/rom-package.js';
import { TreeTemplate } from '../../../../src/client/tree/tree-template.js';

const caller = { serverId: 's', roles: 8 };
const tree = (): ReturnType<TreeTemplate['instantiate']> => TreeTemplate.build({
  plugins: [createRomPackagePlugin()], rootAcl: 'Add=*&Delete=*&Exec=*&Get=*&Replace=*',
  nodes: romPackageNodes([{ id: 'OS', version: '6.5.3', name: 'Windows Mobile' }, { id: 'Radio', version: '1.0.0' }]),
}).instantiate();

describe('ROMPackage CSP', () => {
  it('lists the installed packages and their versions', () => {
    const t = tree();
    assert.equal(t.get('./Vendor/MSFT/ROMPackage', caller).items?.[0]?.data, 'OS/Radio');
    assert.equal(t.get('./Vendor/MSFT/ROMPackage/OS/Version', caller).items?.[0]?.data, '6.5.3');
    assert.equal(t.readValue('./Vendor/MSFT/ROMPackage/OS/Name'), 'Windows Mobile');
  });

  it('is read-only for servers', () => {
    const t = tree();
    assert.equal(t.replace({ uri: './Vendor/MSFT/ROMPackage/OS/Version', data: '7' }, caller).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(t.add({ uri: './Vendor/MSFT/ROMPackage/New/Version', data: '1' }, caller).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(t.delete('./Vendor/MSFT/ROMPackage/Radio', caller).status, Status.COMMAND_NOT_ALLOWED);
  });
});
