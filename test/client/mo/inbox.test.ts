import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MediaType } from '../../../src/core/constants/meta-types.js';
import { Status } from '../../../src/core/constants/status.js';
import type { DmElement } from '../../../src/core/codec/element.js';
import { tndsToElement } from '../../../src/core/tnds/tnds.js';
import { SERVER, sampleTree } from '../../helpers/sample-tree.js';

const FIXED_MO = 'urn:test:mo:fixed:1.0';

describe('Inbox', () => {
  it('answers 405 to a Get of ./Inbox or anything below it', () => {
    const tree = sampleTree();
    assert.equal(tree.get('./Inbox', SERVER).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.get('./Inbox?list=Struct', SERVER).status, Status.COMMAND_NOT_ALLOWED);
    assert.equal(tree.get('./Inbox?prop=ACL', SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });

  it('places an MO instance added to the Inbox where the device keeps that MO (by Meta Type)', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './Inbox/inst1', meta: { format: 'node', type: FIXED_MO } }, SERVER).status, Status.OK);
    assert.equal(tree.exists('./Inbox/inst1'), false);
    assert.equal(tree.readValue('./Fixed/inst1/Auto'), '10');
    // The rest of the instance follows it.
    assert.equal(tree.add({ uri: './Inbox/inst1/Leaf', data: 'v' }, SERVER).status, Status.OK);
    assert.equal(tree.readValue('./Fixed/inst1/Leaf'), 'v');
  });

  it('places a TNDS document added to the Inbox', () => {
    const tree = sampleTree();
    const doc: DmElement = tndsToElement({
      verDtd: '1.2',
      nodes: [{
        name: 'viaTnds', props: { format: 'node', type: { kind: 'DDFName', value: FIXED_MO } },
        children: [{ name: 'Leaf', props: { format: 'chr' }, value: 'from tnds', children: [] }],
      }],
    });
    assert.equal(tree.add({ uri: './Inbox', meta: { format: 'xml', type: MediaType.TNDS_XML }, data: doc }, SERVER).status, Status.OK);
    assert.equal(tree.readValue('./Fixed/viaTnds/Leaf'), 'from tnds');
  });

  it('answers 406 for an MO type the device does not have and 405 for other commands', () => {
    const tree = sampleTree();
    assert.equal(tree.add({ uri: './Inbox/x', meta: { format: 'node', type: 'urn:oma:mo:unknown:1.0' } }, SERVER).status,
      Status.OPTIONAL_FEATURE_NOT_SUPPORTED);
    assert.equal(tree.add({ uri: './Inbox/y/z', data: '1' }, SERVER).status, Status.NOT_FOUND);
    assert.equal(tree.delete('./Inbox', SERVER).status, Status.COMMAND_NOT_ALLOWED);
  });
});
