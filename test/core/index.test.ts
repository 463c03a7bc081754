import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '../../src/core/index.js';

describe('omadm/core public surface', () => {
  it('exposes the codecs, constants, authentication and Package 0 in one import', () => {
    for (const name of ['decodeMessage', 'encodeMessage', 'decodeXml', 'encodeWbxml', 'computeMd5Digest', 'verifyHmacMd5',
      'encodeNotification', 'decodeCpWbxml', 'parseNodeUri', 'tndsFromElement', 'statusName'] as const) {
      assert.equal(typeof core[name], 'function', name);
    }
    assert.equal(core.Status.ATOMIC_FAILED, 507);
  });

  it('round-trips a message through the re-exported codecs', () => {
    const msg = core.decodeXml('<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>s</LocURI></Target><Source><LocURI>d</LocURI></Source></SyncHdr><SyncBody><Final/></SyncBody></SyncML>');
    assert.deepEqual(core.decodeWbxml(core.encodeWbxml(msg)), msg);
  });
});
