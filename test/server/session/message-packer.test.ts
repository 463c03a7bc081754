import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Command, SyncHdr } from '../../../src/core/syncml/message.js';
import { measureAlone, packMessage } from '../../../src/server/session/message-packer.js';

const header: SyncHdr = { verDtd: '1.2', verProto: 'DM/1.2', sessionId: '1', msgId: 2, target: { locUri: 'dev' }, source: { locUri: 'http://s/dm' } };
const hdrStatus: Command = { kind: 'Status', cmdId: 1, msgRef: 1, cmdRef: 0, cmd: 'SyncHdr', data: 200 };
const replaces = (n: number): Command[] => Array.from({ length: n }, (_, i) => ({ kind: 'Replace', cmdId: i + 2, items: [{ target: { locUri: `./N${i}` }, data: 'v'.repeat(200) }] }));

describe('packMessage', () => {
  for (const encoding of ['xml', 'wbxml'] as const) {
    it(`takes everything when it fits, with Final (${encoding})`, () => {
      const p = packMessage({ header, encoding, maxBytes: 100_000, fixed: [hdrStatus], optional: replaces(5), finalFor: () => true });
      assert.equal(p.taken, 5);
      assert.equal(p.message.body.final, true);
    });

    it(`takes the longest prefix that fits and never exceeds the limit (${encoding})`, () => {
      for (const max of [700, 1000, 1500, 2500]) {
        const p = packMessage({ header, encoding, maxBytes: max, fixed: [hdrStatus], optional: replaces(20), finalFor: (n) => n === 20 });
        assert.ok(p.bytes.byteLength <= max, `${p.bytes.byteLength} > ${max}`);
        assert.ok(p.taken < 20);
        assert.equal(p.message.body.final, false);
        const one = packMessage({ header, encoding, maxBytes: max, fixed: [hdrStatus], optional: replaces(20).slice(0, p.taken + 1), finalFor: () => false });
        assert.ok(one.taken <= p.taken + 1);
      }
    });
  }

  it('measures a message holding only some commands', () => {
    assert.ok(measureAlone(header, 'xml', [hdrStatus]) < measureAlone(header, 'xml', [hdrStatus, ...replaces(1)]));
  });
});
