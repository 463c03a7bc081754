import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Status } from '../../../src/core/constants/status.js';
import { type PluginContext, createStorePlugin } from '../../../src/client/tree/plugin.js';
import { SERVER, sampleTree } from '../../helpers/sample-tree.js';

describe('ManagementTree savepoints (Atomic)', () => {
  it('rolls back adds, replaces, deletes and property changes (216 path)', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test/keep', data: 'k' }, SERVER);
    const before = JSON.stringify(tree.snapshot({ full: true }));
    const sp = tree.savepoint();
    tree.add({ uri: './Test/new/deep', data: '1' }, SERVER);
    tree.replace({ uri: './Fixed/Num', data: '99' }, SERVER);
    tree.delete('./Test/keep', SERVER);
    tree.replace({ uri: './Test?prop=Title', data: 'T' }, SERVER);
    tree.writeValue('./DevInfo/DevId', 'changed');
    assert.equal(sp.rollback(), true);
    assert.equal(JSON.stringify(tree.snapshot({ full: true })), before);
    assert.equal(tree.store.overlaySize, 2); // ./Test (child list) and ./Test/keep
  });

  it('keeps every change on commit', () => {
    const tree = sampleTree();
    const sp = tree.savepoint();
    tree.add({ uri: './Test/x', data: '1' }, SERVER);
    sp.commit();
    assert.equal(tree.readValue('./Test/x'), '1');
    assert.equal(sp.rollback(), false); // already closed
  });

  it('rolls back an inner savepoint without touching the outer one', () => {
    const tree = sampleTree();
    const outer = tree.savepoint();
    tree.add({ uri: './Test/a', data: '1' }, SERVER);
    const inner = tree.savepoint();
    tree.add({ uri: './Test/b', data: '2' }, SERVER);
    inner.rollback();
    assert.equal(tree.exists('./Test/b'), false);
    assert.equal(tree.exists('./Test/a'), true);
    outer.rollback();
    assert.equal(tree.exists('./Test/a'), false);
  });

  it('rolls back a rename', () => {
    const tree = sampleTree();
    tree.add({ uri: './Fixed/a/Leaf', data: 'v' }, SERVER);
    const sp = tree.savepoint();
    tree.replace({ uri: './Fixed/a?prop=Name', data: 'b' }, SERVER);
    sp.rollback();
    assert.equal(tree.readValue('./Fixed/a/Leaf'), 'v');
    assert.equal(tree.exists('./Fixed/b'), false);
    assert.deepEqual(tree.listChildren('./Fixed')?.includes('a'), true);
  });

  it('calls the begin, commit and rollback hooks of plug-ins and rolls back their data', () => {
    const calls: string[] = [];
    const plugin = createStorePlugin({
      id: 'tx', mount: './Tx', description: { format: 'node', access: ['Add', 'Get'], open: true },
      begin: () => void calls.push('begin'),
      commit: () => void calls.push('commit'),
      rollback: () => void calls.push('rollback'),
      afterChange: (ctx: PluginContext) => ctx.setData('count', String(Number(ctx.getData('count') ?? '0') + 1)),
    });
    const tree = sampleTree({ plugins: [plugin] });
    const sp = tree.savepoint();
    tree.add({ uri: './Tx/a', data: '1' }, SERVER);
    assert.deepEqual(tree.pluginDataEntries(), [['tx:count', '1']]);
    sp.rollback();
    assert.deepEqual(tree.pluginDataEntries(), []);
    const sp2 = tree.savepoint();
    sp2.commit();
    assert.deepEqual(calls, ['begin', 'rollback', 'begin', 'commit']);
  });

  it('reports false (516) when a plug-in cannot roll back', () => {
    const plugin = createStorePlugin({
      id: 'bad', mount: './Bad', description: { format: 'node', access: ['Get'] }, rollback: () => false,
    });
    const tree = sampleTree({ plugins: [plugin] });
    const sp = tree.savepoint();
    tree.add({ uri: './Test/x', data: '1' }, SERVER);
    assert.equal(sp.rollback(), false);
    assert.equal(tree.exists('./Test/x'), false);
  });

  it('restores the tree when a failing command follows successful ones (Atomic 507 + 216)', () => {
    const tree = sampleTree();
    const sp = tree.savepoint();
    const statuses = [
      tree.add({ uri: './Test/one', data: '1' }, SERVER).status,
      tree.replace({ uri: './DevInfo/DevId', data: 'x' }, SERVER).status,
    ];
    assert.deepEqual(statuses, [Status.OK, Status.COMMAND_NOT_ALLOWED]);
    assert.equal(sp.rollback(), true);
    assert.equal(tree.exists('./Test/one'), false);
  });
});
