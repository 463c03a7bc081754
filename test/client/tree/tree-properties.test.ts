import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Status } from '../../../src/core/constants/status.js';
import { ManualClock, SERVER, sampleTree } from '../../helpers/sample-tree.js';

const prop = (tree: ReturnType<typeof sampleTree>, uri: string): unknown => tree.get(uri, SERVER).items?.[0]?.data;

describe('node properties (?prop=)', () => {
  it('answers every standard property of a leaf', () => {
    const clock = new ManualClock();
    const tree = sampleTree({ clock });
    tree.add({ uri: './Test/leaf', data: 'héllo', meta: { format: 'chr', type: 'text/x-test' } }, SERVER);
    assert.equal(prop(tree, './Test/leaf?prop=Format'), 'chr');
    assert.equal(prop(tree, './Test/leaf?prop=Name'), 'leaf');
    assert.equal(prop(tree, './Test/leaf?prop=Size'), '6');
    assert.equal(prop(tree, './Test/leaf?prop=Type'), 'text/x-test');
    assert.equal(prop(tree, './Test/leaf?prop=TStamp'), '20240102T030405Z');
    assert.equal(prop(tree, './Test/leaf?prop=VerNo'), '0');
    assert.equal(prop(tree, './Test/leaf?prop=Title'), '');
    assert.equal(prop(tree, './Test/leaf?prop=ACL'), '');
  });

  it('puts the property URI in the Results Source', () => {
    const r = sampleTree().get('./DevInfo?prop=Type', SERVER);
    assert.deepEqual(r.items?.[0], { source: { locUri: './DevInfo?prop=Type' }, data: 'urn:oma:mo:oma-dm-devinfo:1.0' });
  });

  it('answers 406 for an unknown property and for Size of an interior node', () => {
    const tree = sampleTree();
    assert.equal(tree.get('./DevInfo?prop=Colour', SERVER).status, Status.OPTIONAL_FEATURE_NOT_SUPPORTED);
    assert.equal(tree.get('./DevInfo?prop=Size', SERVER).status, Status.OPTIONAL_FEATURE_NOT_SUPPORTED);
  });

  it('answers 405 for a command a property does not allow', () => {
    const tree = sampleTree();
    assert.equal(tree.replace({ uri: './Fixed/Num?prop=Format', data: 'chr' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.replace({ uri: './Fixed/Num?prop=TStamp', data: 'x' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.delete('./Fixed/Num?prop=ACL', SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('answers 404 for a property of a missing node', () => {
    assert.equal(sampleTree().get('./Test/none?prop=ACL', SERVER).status, Status.NOT_FOUND);
  });

  it('replaces the Title, refusing more than 255 bytes', () => {
    const tree = sampleTree();
    assert.equal(tree.replace({ uri: './Fixed/Num?prop=Title', data: 'Number' }, SERVER).status, Status.OK);
    assert.equal(prop(tree, './Fixed/Num?prop=Title'), 'Number');
    assert.equal(tree.replace({ uri: './Fixed/Num?prop=Title', data: 'x'.repeat(256) }, SERVER).status, Status.BAD_REQUEST);
  });

  it('replaces the whole ACL, normalized, and refuses a malformed one with 400', () => {
    const tree = sampleTree();
    assert.equal(tree.replace({ uri: './Test?prop=ACL', data: 'Replace=srv1&Get=*&Add=srv1+srv2' }, SERVER).status, Status.OK);
    assert.equal(prop(tree, './Test?prop=ACL'), 'Add=srv1+srv2&Get=*&Replace=srv1');
    assert.equal(tree.replace({ uri: './Test?prop=ACL', data: 'Fly=*' }, SERVER).status, Status.BAD_REQUEST);
  });

  it('renames a dynamic node with its sub-tree through Name', () => {
    const tree = sampleTree();
    tree.add({ uri: './Fixed/a/Leaf', data: 'v' }, SERVER);
    assert.equal(tree.replace({ uri: './Fixed/a?prop=Name', data: 'b' }, SERVER).status, Status.OK);
    assert.equal(tree.get('./Fixed/a', SERVER).status, Status.NOT_FOUND);
    assert.equal(tree.readValue('./Fixed/b/Leaf'), 'v');
    assert.equal(tree.readValue('./Fixed/b/Auto'), '10');
  });

  it('answers 418 for a rename onto a sibling and 405 for a rename of a permanent node', () => {
    const tree = sampleTree();
    tree.add({ uri: './Fixed/a', meta: { format: 'node' } }, SERVER);
    tree.add({ uri: './Fixed/b', meta: { format: 'node' } }, SERVER);
    assert.equal(tree.replace({ uri: './Fixed/a?prop=Name', data: 'b' }, SERVER).status, Status.ALREADY_EXISTS);
    assert.equal(tree.replace({ uri: './Fixed/Num?prop=Name', data: 'Count' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.replace({ uri: './DevInfo?prop=Name', data: 'Info' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('refuses a rename that would leave the dynamic description (405)', () => {
    const tree = sampleTree();
    tree.add({ uri: './Fixed/a', meta: { format: 'node' } }, SERVER);
    assert.equal(tree.replace({ uri: './Fixed/a?prop=Name', data: 'Run' }, SERVER).status, Status.ALREADY_EXISTS);
    tree.delete('./Fixed/a', SERVER);
    tree.add({ uri: './Fixed/c', meta: { format: 'node' } }, SERVER);
    assert.equal(tree.replace({ uri: './Fixed/c?prop=Name', data: 'Blob' }, SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('reads and replaces msft:AccessRole (colon escaped or not)', () => {
    const tree = sampleTree();
    assert.equal(prop(tree, './Test?prop=msft%3AAccessRole'), '');
    assert.equal(tree.replace({ uri: './Test?prop=msft%3AAccessRole', data: '12' }, SERVER).status, Status.OK);
    assert.equal(prop(tree, './Test?prop=msft:AccessRole'), '12');
    assert.equal(tree.replace({ uri: './Test?prop=msft%3AAccessRole', data: 'many' }, SERVER).status, Status.BAD_REQUEST);
  });

  it('bumps VerNo and TStamp on Replace', () => {
    const clock = new ManualClock();
    const tree = sampleTree({ clock });
    clock.ms = Date.UTC(2030, 5, 6, 7, 8, 9);
    tree.replace({ uri: './Fixed/Num', data: '1' }, SERVER);
    tree.replace({ uri: './Fixed/Num', data: '2' }, SERVER);
    assert.equal(prop(tree, './Fixed/Num?prop=VerNo'), '2');
    assert.equal(prop(tree, './Fixed/Num?prop=TStamp'), '20300606T070809Z');
  });
});
