import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Namespace } from '../../../src/core/constants/meta-types.js';
import { Status } from '../../../src/core/constants/status.js';
import { SecurityRole } from '../../../src/core/tree/security-role.js';
import { createStorePlugin } from '../../../src/client/tree/plugin.js';
import { TreeTemplate } from '../../../src/client/tree/tree-template.js';
import { OTHER, SERVER, sampleTree } from '../../helpers/sample-tree.js';

const prop = (tree: ReturnType<typeof sampleTree>, uri: string): unknown => tree.get(uri, SERVER).items?.[0]?.data;

describe('OMA ACL access control', () => {
  it('gives the root the default ACL Add=*&Get=*', () => {
    const tree = TreeTemplate.build({ plugins: [] }).instantiate();
    assert.equal(tree.get('.?prop=ACL', SERVER).items?.[0]?.data, 'Add=*&Get=*');
    assert.equal(tree.replace({ uri: '.?prop=ACL', data: 'Get=*' }, SERVER).status, Status.PERMISSION_DENIED);
  });

  it('inherits the ACL of the nearest ancestor with a value', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test/a/b', data: 'x' }, SERVER);
    tree.replace({ uri: './Test/a?prop=ACL', data: 'Get=srv2&Replace=srv2' }, SERVER);
    assert.equal(tree.get('./Test/a/b', SERVER).status, Status.PERMISSION_DENIED);
    assert.equal(tree.get('./Test/a/b', OTHER).status, Status.OK);
    assert.equal(tree.replace({ uri: './Test/a/b', data: 'y' }, OTHER).status, Status.OK);
    // Get of an ACL without a value answers empty data (no ancestor lookup).
    assert.equal(tree.get('./Test/a/b?prop=ACL', OTHER).items?.[0]?.data, '');
  });

  it('checks Add against the parent and Delete, Replace, Get, Exec against the node', async () => {
    const tree = sampleTree();
    tree.replace({ uri: './Test?prop=ACL', data: 'Get=*&Replace=srv1' }, SERVER);
    assert.equal(tree.add({ uri: './Test/x', data: '1' }, OTHER).status, Status.PERMISSION_DENIED);
    tree.replace({ uri: './Fixed/Run?prop=ACL', data: 'Get=*&Exec=srv2' }, SERVER);
    assert.equal((await tree.exec({ uri: './Fixed/Run' }, SERVER)).status, Status.PERMISSION_DENIED);
    assert.equal((await tree.exec({ uri: './Fixed/Run' }, OTHER)).status, Status.OK);
  });

  it('governs a leaf ACL by the parent Replace right and an interior ACL by its own', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test/dir/leaf', data: 'x' }, SERVER);
    tree.replace({ uri: './Test/dir?prop=ACL', data: 'Get=*&Replace=srv2' }, SERVER);
    assert.equal(tree.replace({ uri: './Test/dir/leaf?prop=ACL', data: 'Get=*' }, SERVER).status, Status.PERMISSION_DENIED);
    assert.equal(tree.replace({ uri: './Test/dir/leaf?prop=ACL', data: 'Get=*' }, OTHER).status, Status.OK);
    assert.equal(tree.replace({ uri: './Test/dir?prop=ACL', data: 'Get=*' }, SERVER).status, Status.PERMISSION_DENIED);
  });

  it('grants the creator Add, Delete and Replace on an interior node added without Replace on the parent', () => {
    const tree = sampleTree({ rootAcl: 'Add=*&Get=*' });
    assert.equal(tree.add({ uri: './Test/mine', meta: { format: 'node' } }, SERVER).status, Status.OK);
    assert.equal(tree.record(tree.canonical('./Test/mine'))?.extras?.acl, 'Add=srv1&Delete=srv1&Replace=srv1');
    assert.equal(tree.add({ uri: './Test/mine/leaf', data: '1' }, SERVER).status, Status.OK);
    assert.equal(tree.add({ uri: './Test/mine/leaf2', data: '1' }, OTHER).status, Status.PERMISSION_DENIED);
    assert.equal(tree.replace({ uri: './Test/mine/leaf', data: '2' }, SERVER).status, Status.OK);
    assert.equal(tree.delete('./Test/mine', OTHER).status, Status.PERMISSION_DENIED);
    assert.equal(tree.delete('./Test/mine', SERVER).status, Status.OK);
  });

  it('applies the creator ACL to the topmost node created implicitly', () => {
    const tree = sampleTree({ rootAcl: 'Add=*&Get=*' });
    assert.equal(tree.add({ uri: './Test/a/b/c', data: '1' }, SERVER).status, Status.OK);
    assert.equal(tree.record(tree.canonical('./Test/a'))?.extras?.acl, 'Add=srv1&Delete=srv1&Replace=srv1');
    assert.equal(tree.record(tree.canonical('./Test/a/b'))?.extras?.acl, undefined);
  });

  it('leaves the new node inheriting when the creator has Replace on the parent', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test/open', meta: { format: 'node' } }, SERVER);
    assert.equal(prop(tree, './Test/open?prop=ACL'), '');
  });

  it('scrubs a deleted server id from every ACL, the root falling back to *', () => {
    const tree = sampleTree({ rootAcl: 'Add=*&Get=*&Replace=srv1' });
    tree.writeValue('./Test/a', '1');
    tree.replace({ uri: './Test?prop=ACL', data: 'Get=srv1+srv2&Replace=srv1' }, SERVER);
    tree.scrubServerId('srv1');
    assert.equal(tree.get('./Test?prop=ACL', OTHER).items?.[0]?.data, 'Get=srv2');
    assert.equal(tree.get('.?prop=ACL', OTHER).items?.[0]?.data, 'Add=*&Get=*&Replace=*');
  });

  it('refuses to leave the root without an ACL', () => {
    assert.equal(sampleTree().replace({ uri: '.?prop=ACL', data: '' }, SERVER).status, Status.BAD_REQUEST);
  });
});

describe('Microsoft role-based access control', () => {
  const roles = (): ReturnType<typeof sampleTree> => sampleTree({
    accessMode: 'roles',
    plugins: [createStorePlugin({
      id: 'csp', mount: './Vendor/MSFT/Csp',
      description: { format: 'node', access: ['Add', 'Delete', 'Get', 'Replace'], open: true, roleMask: SecurityRole.OPERATOR | SecurityRole.MANAGER },
    })],
  });
  const manager = { serverId: 'm', roles: SecurityRole.MANAGER };
  const user = { serverId: 'u', roles: SecurityRole.USER_AUTH };

  it('allows a session whose roles share a bit with the inherited mask and denies others with 425', () => {
    const tree = roles();
    assert.equal(tree.add({ uri: './Vendor/MSFT/Csp/x', data: '1' }, manager).status, Status.OK);
    assert.equal(tree.get('./Vendor/MSFT/Csp/x', user).status, Status.PERMISSION_DENIED);
    assert.equal(tree.add({ uri: './Vendor/MSFT/Csp/y', data: '1' }, user).status, Status.PERMISSION_DENIED);
  });

  it('does not restrict nodes without any role mask', () => {
    assert.equal(roles().get('./DevInfo/DevId', user).status, Status.OK);
  });

  it('takes msft:AccessRole from the Add Meta and lets it be read and replaced as a property', () => {
    const tree = roles();
    const meta = { format: 'node', extensions: [{ name: 'AccessRole', ns: Namespace.MSFT, children: ['16'] }] };
    assert.equal(tree.add({ uri: './Vendor/MSFT/Csp/open', meta }, manager).status, Status.OK);
    assert.equal(tree.get('./Vendor/MSFT/Csp/open?prop=msft%3AAccessRole', user).items?.[0]?.data, '16');
    assert.equal(tree.add({ uri: './Vendor/MSFT/Csp/open/leaf', data: '1' }, user).status, Status.OK);
    assert.equal(tree.add({ uri: './Vendor/MSFT/Csp/open/leaf2', data: '1' }, manager).status, Status.PERMISSION_DENIED);
  });

  it('answers 400 for a malformed msft:AccessRole in Meta', () => {
    const meta = { format: 'node', extensions: [{ name: 'AccessRole', ns: Namespace.MSFT, children: ['lots'] }] };
    assert.equal(roles().add({ uri: './Vendor/MSFT/Csp/bad', meta }, manager).status, Status.BAD_REQUEST);
  });

  it('ignores OMA ACLs in role mode', () => {
    const tree = roles();
    tree.writeValue('./Vendor/MSFT/Csp/v', '1');
    tree.replace({ uri: './Vendor/MSFT/Csp?prop=ACL', data: 'Get=nobody' }, manager);
    assert.equal(tree.get('./Vendor/MSFT/Csp/v', manager).status, Status.OK);
  });
});
