import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Status } from '../../../src/core/constants/status.js';
import { SERVER, sampleTree } from '../../helpers/sample-tree.js';

describe('ManagementTree Get', () => {
  it('returns the child names of an interior node separated by "/" with Format node', () => {
    const tree = sampleTree();
    const r = tree.get('./DevInfo', SERVER);
    assert.equal(r.status, Status.OK);
    assert.deepEqual(r.items?.[0]?.meta, { format: 'node', type: 'urn:oma:mo:oma-dm-devinfo:1.0' });
    assert.equal(r.items?.[0]?.data, 'DevId/Man/Mod/DmV/Lang/Ext/Bearer');
  });

  it('returns empty data with 200 for an interior node without children', () => {
    const r = sampleTree().get('./Test', SERVER);
    assert.equal(r.status, Status.OK);
    assert.equal(r.items?.[0]?.data, '');
  });

  it('answers a chr leaf with its value and Size only (chr and text/plain are the defaults)', () => {
    const r = sampleTree().get('./DevInfo/DevId', SERVER);
    assert.equal(r.status, Status.OK);
    assert.deepEqual(r.items?.[0], { source: { locUri: './DevInfo/DevId' }, meta: { size: 20 }, data: 'imei:490154203237518' });
  });

  it('answers an int leaf with Format, Type and Size', () => {
    const r = sampleTree().get('./Fixed/Num', SERVER);
    assert.deepEqual(r.items?.[0]?.meta, { format: 'int', type: 'text/plain', size: 1 });
    assert.equal(r.items?.[0]?.data, '7');
  });

  it('resolves relative URIs against the root and echoes the URI the server sent', () => {
    const r = sampleTree().get('DevInfo/Mod', SERVER);
    assert.equal(r.status, Status.OK);
    assert.equal(r.items?.[0]?.source?.locUri, 'DevInfo/Mod');
    assert.equal(r.items?.[0]?.data, 'X1');
  });

  it('answers 404 for a missing node and 400 for a URI starting with "/"', () => {
    const tree = sampleTree();
    assert.equal(tree.get('./DevInfo/Nope', SERVER).status, Status.NOT_FOUND);
    assert.equal(tree.get('/DevInfo', SERVER).status, Status.BAD_REQUEST);
  });

  it('answers 405 for a node whose description has no Get (a secret)', () => {
    assert.equal(sampleTree().get('./Fixed/Secret', SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('answers 405 for a Get on ./Inbox', () => {
    assert.equal(sampleTree().get('./Inbox', SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('answers 414 when a URI exceeds MaxDepth, MaxTotLen or MaxSegLen', () => {
    const tree = sampleTree({ limits: { maxDepth: 3, maxTotLen: 30, maxSegLen: 8 } });
    assert.equal(tree.get('./Test/a/b/c', SERVER).status, Status.URI_TOO_LONG);
    assert.equal(tree.get('./Test/aaaaaaaaa', SERVER).status, Status.URI_TOO_LONG);
    assert.equal(tree.get('./Test/aaaaaaa/bbbbbbb/cc', SERVER).status, Status.URI_TOO_LONG);
    assert.equal(tree.get('./Test', SERVER).status, Status.OK);
  });

  it('treats an escaped and an unescaped spelling of a name as the same node', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './Test/a%20b', data: 'x' }, SERVER).status, Status.OK);
    assert.equal(tree.get('./Test', SERVER).items?.[0]?.data, 'a b');
    assert.equal(tree.get('./Test/a b', SERVER).items?.[0]?.data, 'x');
    assert.equal(tree.add({ uri: './Test/a b', data: 'y' }, SERVER).status, Status.ALREADY_EXISTS);
  });
});

describe('ManagementTree Add', () => {
  it('creates a leaf and answers 418 when it already exists', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './Test/x', data: 'v' }, SERVER).status, Status.OK);
    assert.equal(tree.add({ uri: './Test/x', data: 'w' }, SERVER).status, Status.ALREADY_EXISTS);
    assert.equal(tree.readValue('./Test/x'), 'v');
  });

  it('creates missing interior parents implicitly', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './Test/a/b/c', data: '1' }, SERVER).status, Status.OK);
    assert.equal(tree.get('./Test/a', SERVER).items?.[0]?.data, 'b');
    assert.deepEqual(tree.get('./Test/a/b', SERVER).items?.[0]?.meta, { format: 'node' });
  });

  it('creates an interior node for Meta Format node', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './Fixed/inst', meta: { format: 'node' } }, SERVER).status, Status.OK);
    // Children marked autoCreate come with it.
    assert.equal(tree.get('./Fixed/inst', SERVER).items?.[0]?.data, 'Auto');
    assert.equal(tree.readValue('./Fixed/inst/Auto'), '10');
  });

  it('answers 405 for an Add of a node the description does not allow', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './DevInfo/Extra', data: 'x' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.add({ uri: './Fixed/Run/child', data: 'x' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.add({ uri: './Nowhere', data: 'x' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('answers 405 for an Add below a leaf', () => {
    assert.equal(sampleTree().add({ uri: './DevInfo/DevId/x', data: 'x' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('answers 415 for a format the node does not take and 400 for a value that does not match its format', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './Fixed/i1', meta: { format: 'chr' }, data: 'x' }, SERVER).status, Status.UNSUPPORTED_MEDIA_TYPE);
    tree.add({ uri: './Fixed/i1', meta: { format: 'node' } }, SERVER);
    assert.equal(tree.add({ uri: './Fixed/i1/Leaf', meta: { format: 'int' }, data: '1' }, SERVER).status, Status.UNSUPPORTED_MEDIA_TYPE);
    assert.equal(tree.add({ uri: './Test/f', meta: { format: 'float' }, data: '1.5e' }, SERVER).status, Status.BAD_REQUEST);
    assert.equal(tree.add({ uri: './Test/f', meta: { format: 'float' }, data: '1.5e3' }, SERVER).status, Status.OK);
  });

  it('stores b64 data written to a bin node as bytes', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './Fixed/Blob', meta: { format: 'b64' }, data: 'AAEC/w==' }, SERVER).status, Status.OK);
    assert.deepEqual(tree.readBytes('./Fixed/Blob'), new Uint8Array([0, 1, 2, 255]));
    const item = tree.get('./Fixed/Blob', SERVER).items?.[0];
    assert.deepEqual(item?.meta, { format: 'bin', type: 'application/octet-stream', size: 4 });
    assert.deepEqual(item?.data, new Uint8Array([0, 1, 2, 255]));
  });

  it('uses the description format when the server sends no Meta Format', () => {
    const tree = sampleTree();
    tree.add({ uri: './Fixed/i2', meta: { format: 'node' } }, SERVER);
    assert.equal(tree.add({ uri: './Fixed/i2/Leaf', data: 'x' }, SERVER).status, Status.OK);
    assert.equal(tree.get('./Fixed/i2/Leaf?prop=Format', SERVER).items?.[0]?.data, 'chr');
  });

  it('answers 405 for an Add on a property URI', () => {
    assert.equal(sampleTree().add({ uri: './Test?prop=Title', data: 'x' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });
});

describe('ManagementTree Replace', () => {
  it('replaces a leaf value and bumps VerNo', () => {
    const tree = sampleTree();
    assert.equal(tree.replace({ uri: './Fixed/Num', data: '42' }, SERVER).status, Status.OK);
    assert.equal(tree.readValue('./Fixed/Num'), '42');
    assert.equal(tree.get('./Fixed/Num?prop=VerNo', SERVER).items?.[0]?.data, '1');
  });

  it('answers 404 for a missing node (Replace never creates)', () => {
    assert.equal(sampleTree().replace({ uri: './Test/none', data: 'x' }, SERVER).status, Status.NOT_FOUND);
  });

  it('answers 405 on a Get-only node such as ./DevInfo/DevId', () => {
    assert.equal(sampleTree().replace({ uri: './DevInfo/DevId', data: 'x' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('answers 405 on an interior node', () => {
    assert.equal(sampleTree().replace({ uri: './Test', data: 'x' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('keeps the node format when the server sends none, and checks the value against it', () => {
    const tree = sampleTree();
    assert.equal(tree.replace({ uri: './Fixed/Num', data: 'abc' }, SERVER).status, Status.BAD_REQUEST);
    assert.equal(tree.replace({ uri: './Fixed/Num', data: ' 12 ' }, SERVER).status, Status.OK);
    assert.equal(tree.readValue('./Fixed/Num'), '12');
  });

  it('lets a write-only node be replaced', () => {
    const tree = sampleTree();
    assert.equal(tree.replace({ uri: './Fixed/Secret', data: 'new' }, SERVER).status, Status.OK);
    assert.equal(tree.readValue('./Fixed/Secret'), 'new');
  });
});

describe('ManagementTree Delete', () => {
  it('removes a node and its whole sub-tree', () => {
    const tree = sampleTree();
    tree.add({ uri: './Test/a/b/c', data: '1' }, SERVER);
    assert.equal(tree.delete('./Test/a', SERVER).status, Status.OK);
    assert.equal(tree.get('./Test/a/b/c', SERVER).status, Status.NOT_FOUND);
    assert.equal(tree.get('./Test', SERVER).items?.[0]?.data, '');
  });

  it('answers 405 for the root and for permanent nodes', () => {
    const tree = sampleTree();
    assert.equal(tree.delete('.', SERVER).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.delete('./DevInfo', SERVER).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.delete('./Fixed/Num', SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('answers 404 for a missing node', () => {
    assert.equal(sampleTree().delete('./Test/none', SERVER).status, Status.NOT_FOUND);
  });

  it('deletes a dynamic node of a described MO', () => {
    const tree = sampleTree();
    tree.add({ uri: './Fixed/d1/Leaf', data: 'x' }, SERVER);
    assert.equal(tree.delete('./Fixed/d1', SERVER).status, Status.OK);
    assert.equal(tree.exists('./Fixed/d1/Auto'), false);
  });
});

describe('ManagementTree Copy', () => {
  it('copies a leaf to a new node and replaces an existing one', () => {
    const tree = sampleTree();
    assert.equal(tree.copy({ source: './DevInfo/Mod', target: './Test/mod' }, SERVER).status, Status.OK);
    assert.equal(tree.readValue('./Test/mod'), 'X1');
    tree.add({ uri: './Test/other', data: 'old' }, SERVER);
    assert.equal(tree.copy({ source: './DevInfo/Man', target: './Test/other' }, SERVER).status, Status.OK);
    assert.equal(tree.readValue('./Test/other'), 'Contoso');
  });

  it('answers 404 for a missing source and 405 for an interior source', () => {
    const tree = sampleTree();
    assert.equal(tree.copy({ source: './Test/none', target: './Test/x' }, SERVER).status, Status.NOT_FOUND);
    assert.equal(tree.copy({ source: './DevInfo', target: './Test/x' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });
});

describe('ManagementTree Exec', () => {
  it('runs the plug-in of an executable node and returns its Results', async () => {
    const r = await sampleTree().exec({ uri: './Fixed/Run', data: 'go' }, SERVER);
    assert.equal(r.status, Status.OK);
    assert.equal(r.items?.[0]?.data, 'ran go');
  });

  it('answers 405 for a node that is not executable and 404 for a missing one', async () => {
    const tree = sampleTree();
    assert.equal((await tree.exec({ uri: './Fixed/NoExec' }, SERVER)).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal((await tree.exec({ uri: './DevInfo/DevId' }, SERVER)).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal((await tree.exec({ uri: './Fixed/Nope' }, SERVER)).status, Status.NOT_FOUND);
  });

  it('passes the plug-in status through', async () => {
    assert.equal((await sampleTree().exec({ uri: './Fixed/Run', data: 'fail' }, SERVER)).status, Status.COMMAND_FAILED);
  });
});

describe('ManagementTree plug-in hooks', () => {
  it('lets beforeChange veto a change with its status', () => {
    const tree = sampleTree({ onChange: (c) => (c.kind === 'replace' && c.value === '13' ? Status.FORBIDDEN : undefined) });
    assert.equal(tree.replace({ uri: './Fixed/Num', data: '13' }, SERVER).status, Status.FORBIDDEN);
    assert.equal(tree.readValue('./Fixed/Num'), '7');
  });

  it('reports a throwing hook as 500 without changing the tree', () => {
    const tree = sampleTree({ onChange: () => { throw new Error('boom'); } });
    assert.equal(tree.replace({ uri: './Fixed/Num', data: '1' }, SERVER).status, Status.COMMAND_FAILED);
    assert.equal(tree.readValue('./Fixed/Num'), '7');
  });
});

describe('ManagementTree agent-internal access', () => {
  it('writes and reads values without checks, creating parents', () => {
    const tree = sampleTree();
    tree.writeValue('./DevInfo/DevId', 'imei:1');
    assert.equal(tree.readValue('./DevInfo/DevId'), 'imei:1');
    tree.writeValue('./Test/deep/er/leaf', 'v');
    assert.deepEqual(tree.listChildren('./Test/deep'), ['er']);
    tree.writeValue('./Fixed/Blob', 'AAE=', 'b64');
    assert.deepEqual(tree.readBytes('./Fixed/Blob'), new Uint8Array([0, 1]));
    assert.equal(tree.readValue('./Test/none'), undefined);
  });

  it('counts revisions on every change', () => {
    const tree = sampleTree();
    const r0 = tree.revision;
    tree.add({ uri: './Test/x', data: '1' }, SERVER);
    assert.ok(tree.revision > r0);
  });
});
