import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../../src/core/errors.js';
import { FileTreeStore, MemoryTreeStore, type TreeStore, deviceFileName, parseSnapshot } from '../../../src/client/tree/tree-store.js';
import { SERVER, sampleTemplate } from '../../helpers/sample-tree.js';

function changedTree(template = sampleTemplate()): ReturnType<typeof template.instantiate> {
  const tree = template.instantiate({ nodes: [{ uri: './DevInfo/DevId', value: 'imei:111' }] });
  tree.add({ uri: './Test/a/b', data: 'text' }, SERVER);
  tree.add({ uri: './Fixed/Blob', data: new Uint8Array([0, 255, 7]), meta: { format: 'bin' } }, SERVER);
  tree.replace({ uri: './Fixed/Num', data: '12' }, SERVER);
  tree.replace({ uri: './Test?prop=Title', data: 'Title' }, SERVER);
  tree.add({ uri: './Fixed/dyn', meta: { format: 'node' } }, SERVER);
  tree.setPluginData('fixed:job', '{"x":1}');
  return tree;
}

describe('tree snapshots', () => {
  it('round-trips the per-device differences (delta) through JSON, bytes as base64', () => {
    const template = sampleTemplate();
    const tree = changedTree(template);
    const snap = tree.snapshot({ blob: { pending: [1, 2] } });
    assert.equal(snap.kind, 'delta');
    const json = JSON.stringify(snap);
    assert.ok(json.includes('"encoding":"base64"'));
    const restored = template.instantiate({ snapshot: parseSnapshot(json) });
    assert.equal(JSON.stringify(restored.snapshot({ full: true })), JSON.stringify(tree.snapshot({ full: true })));
    assert.deepEqual(restored.readBytes('./Fixed/Blob'), new Uint8Array([0, 255, 7]));
    assert.deepEqual(restored.pluginDataEntries(), [['fixed:job', '{"x":1}']]);
    assert.deepEqual(restored.restore({ version: 1, kind: 'delta', nodes: [], blob: 'b' }), 'b');
  });

  it('restores a full snapshot into an overlay as small as the delta one', () => {
    const template = sampleTemplate();
    const tree = changedTree(template);
    const full = JSON.parse(JSON.stringify(tree.snapshot({ full: true })));
    const restored = template.instantiate({ snapshot: full });
    assert.equal(restored.store.overlaySize, tree.store.overlaySize);
    assert.equal(restored.readValue('./Test/a/b'), 'text');
  });

  it('records deleted template nodes as tombstones', () => {
    const template = sampleTemplate({ nodes: [{ uri: './Test/preset', value: 'p' }] });
    const tree = template.instantiate();
    tree.delete('./Test/preset', SERVER);
    const snap = tree.snapshot();
    assert.ok(snap.nodes.some((n) => n.uri === './Test/preset' && n.deleted === true));
    assert.equal(template.instantiate({ snapshot: snap }).exists('./Test/preset'), false);
  });

  it('refuses a document that is not a snapshot', () => {
    assert.throws(() => parseSnapshot('{"version":2}'), StoreError);
    assert.throws(() => parseSnapshot('not json'), StoreError);
  });
});

function contract(name: string, make: () => Promise<{ store: TreeStore; done: () => Promise<void> }>): void {
  describe(`${name} (TreeStore contract)`, () => {
    it('saves, loads and removes a device snapshot', async () => {
      const { store, done } = await make();
      try {
        const template = sampleTemplate();
        const tree = changedTree(template);
        assert.equal(await store.load('imei:111'), undefined);
        await store.save('imei:111', tree.snapshot({ blob: { alerts: ['a'] } }));
        const loaded = await store.load('imei:111');
        assert.deepEqual(loaded?.blob, { alerts: ['a'] });
        assert.equal(template.instantiate({ snapshot: loaded }).readValue('./Fixed/Num'), '12');
        await store.save('imei:111', template.instantiate().snapshot());
        assert.equal((await store.load('imei:111'))?.nodes.length, 0);
        await store.remove('imei:111');
        assert.equal(await store.load('imei:111'), undefined);
      } finally {
        await done();
      }
    });
  });
}

contract('MemoryTreeStore', async () => ({ store: new MemoryTreeStore(), done: async () => undefined }));
contract('FileTreeStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'omadm-tree-'));
  return { store: new FileTreeStore({ directory: dir }), done: () => rm(dir, { recursive: true, force: true }) };
});

describe('FileTreeStore', () => {
  it('writes atomically: no temporary file is left and the file is complete JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omadm-tree-'));
    try {
      const store = new FileTreeStore({ directory: join(dir, 'state') });
      const tree = changedTree();
      await Promise.all(Array.from({ length: 10 }, (_, i) => store.save('dev/1', tree.snapshot({ blob: i }))));
      const files = await readdir(join(dir, 'state'));
      assert.deepEqual(files, [deviceFileName('dev/1')]);
      const text = await readFile(store.pathOf('dev/1'), 'utf8');
      assert.equal(typeof parseSnapshot(text).blob, 'number');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the previous state when a write fails before the rename', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omadm-tree-'));
    try {
      const store = new FileTreeStore({ directory: dir });
      await store.save('d', changedTree().snapshot({ blob: 'old' }));
      // A value JSON cannot encode makes serialization throw before anything is renamed.
      const bad = { version: 1, kind: 'delta', nodes: [], blob: 10n } as never;
      await assert.rejects(store.save('d', bad), StoreError);
      assert.equal((await store.load('d'))?.blob, 'old');
      assert.deepEqual(await readdir(dir), [deviceFileName('d')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a corrupt file as a StoreError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omadm-tree-'));
    try {
      const store = new FileTreeStore({ directory: dir });
      await writeFile(store.pathOf('x'), '{"trunc');
      await assert.rejects(store.load('x'), StoreError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('escapes device ids into safe file names', () => {
    assert.equal(deviceFileName('imei:35/1'), 'imei%3A35%2F1.tree.json');
    assert.equal(deviceFileName('..'), '_...tree.json');
  });
});
