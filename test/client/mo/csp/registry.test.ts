import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Status } from '../../../../src/core/constants/status.js';
import { createRegistryPlugin, readRegistryValue, registryNodes, registryUri } from '../../../../src/client/mo/csp/registry.js';
import { TreeTemplate } from '../../../../src/client/tree/tree-template.js';

const caller = { serverId: 's', roles: 8 };
const tree = (): ReturnType<TreeTemplate['instantiate']> => TreeTemplate.build({
  plugins: [createRegistryPlugin()],
  rootAcl: 'Add=*&Delete=*&Exec=*&Get=*&Replace=*',
  nodes: registryNodes([{ key: 'HKLM\\Software\\Contoso', name: 'Level', type: 'REG_DWORD', data: 3 }]),
}).instantiate();

describe('Registry CSP', () => {
  it('exposes the hives and provisioned values', () => {
    const t = tree();
    assert.equal(t.get('./Vendor/MSFT/Registry', caller).items?.[0]?.data, 'HKLM/HKCU/HKCR/HKU');
    assert.deepEqual(readRegistryValue(t, 'HKLM\\Software\\Contoso', 'Level'), { key: 'HKLM\\Software\\Contoso', name: 'Level', type: 'REG_DWORD', data: 3 });
  });

  it('creates keys implicitly and values with the type of their Format', () => {
    const t = tree();
    const add = (name: string, format: string, data: string): number =>
      t.add({ uri: `${registryUri('HKLM\\Software\\New Key')}/${name}`, meta: { format }, data }, caller).status;
    assert.equal(add('Dword', 'int', '42'), Status.OK);
    assert.equal(add('Text', 'chr', 'hello'), Status.OK);
    assert.equal(add('Bytes', 'b64', 'AQID'), Status.OK);
    assert.equal(add('Multi', 'mchr', 'a\uF000b\uF000'), Status.OK);
    assert.deepEqual(readRegistryValue(t, 'HKLM\\Software\\New Key', 'Dword')?.data, 42);
    assert.deepEqual(readRegistryValue(t, 'HKLM\\Software\\New Key', 'Bytes'), { key: 'HKLM\\Software\\New Key', name: 'Bytes', type: 'REG_BINARY', data: new Uint8Array([1, 2, 3]) });
    assert.equal(readRegistryValue(t, 'HKLM\\Software\\New Key', 'Multi')?.type, 'REG_MULTI_SZ');
    assert.equal(t.get('./Vendor/MSFT/Registry/HKLM/Software', caller).items?.[0]?.data, 'Contoso/New Key');
  });

  it('refuses formats the registry has no type for with 415, and values that do not fit with 400', () => {
    const t = tree();
    assert.equal(t.add({ uri: './Vendor/MSFT/Registry/HKLM/F', meta: { format: 'float' }, data: '1.5' }, caller).status, Status.UNSUPPORTED_MEDIA_TYPE);
    assert.equal(t.add({ uri: './Vendor/MSFT/Registry/HKLM/B', meta: { format: 'bool' }, data: 'true' }, caller).status, Status.UNSUPPORTED_MEDIA_TYPE);
    assert.equal(t.add({ uri: './Vendor/MSFT/Registry/HKLM/I', meta: { format: 'int' }, data: 'x' }, caller).status, Status.BAD_REQUEST);
  });

  it('replaces and deletes values and keys, but not the hives', () => {
    const t = tree();
    const uri = registryUri('HKLM\\Software\\Contoso', 'Level');
    assert.equal(t.replace({ uri, data: '4' }, caller).status, Status.OK);
    assert.equal(readRegistryValue(t, 'HKLM\\Software\\Contoso', 'Level')?.data, 4);
    assert.equal(t.delete(registryUri('HKLM\\Software'), caller).status, Status.OK);
    assert.equal(readRegistryValue(t, 'HKLM\\Software\\Contoso', 'Level'), undefined);
    assert.equal(t.delete('./Vendor/MSFT/Registry/HKLM', caller).status, Status.COMMAND_NOT_ALLOWED);
  });
});
