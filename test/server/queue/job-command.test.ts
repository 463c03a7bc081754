import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../src/core/errors.js';
import { flattenChildren, hasExec, jobCommandSize, validateJobCommand } from '../../../src/server/queue/job-command.js';
import type { JobCommand } from '../../../src/server/store/store.js';

const invalid = (c: unknown): void => assert.throws(() => validateJobCommand(c as JobCommand), { code: ErrorCode.ERR_QUEUE_COMMAND_INVALID });

describe('validateJobCommand', () => {
  it('accepts every command kind in its documented shape', () => {
    const ok: JobCommand[] = [
      { kind: 'Get', uris: ['./DevDetail?list=Struct', './A?prop=ACL'] },
      { kind: 'Add', items: [{ uri: './A', format: 'node' }] },
      { kind: 'Replace', items: [{ uri: './A', data: 'AAE=', base64: true, format: 'bin' }] },
      { kind: 'Delete', uris: ['./A'] },
      { kind: 'Copy', items: [{ source: './A', target: './B' }] },
      { kind: 'Exec', item: { uri: './FUMO/1/Update' } },
      { kind: 'Alert', code: 1101, text: 'Update now?', options: 'MINDT=10' },
      { kind: 'Alert', code: 1103, text: 'Pick', choices: ['a', 'b'] },
      { kind: 'Atomic', commands: [{ kind: 'Replace', items: [{ uri: './A', data: '1' }] }, { kind: 'Sequence', commands: [{ kind: 'Delete', uris: ['./B'] }] }] },
      { kind: 'Sequence', commands: [{ kind: 'Get', uris: ['./A'] }, { kind: 'Atomic', commands: [{ kind: 'Delete', uris: ['./B'] }] }] },
    ];
    for (const c of ok) validateJobCommand(c);
  });

  it('refuses empty, unknown and wrongly nested commands', () => {
    invalid({ kind: 'Get', uris: [] });
    invalid({ kind: 'Delete', uris: [''] });
    invalid({ kind: 'Replace', items: [] });
    invalid({ kind: 'Add', items: [{ uri: '' }] });
    invalid({ kind: 'Add', items: [{ uri: './A', data: 5 }] });
    invalid({ kind: 'Copy', items: [{ source: './A' }] });
    invalid({ kind: 'Exec' });
    invalid({ kind: 'Alert', code: 1226, text: 'x' });
    invalid({ kind: 'Alert', code: 1104, text: 'x' });
    invalid({ kind: 'Status' });
    invalid({ kind: 'Sequence', commands: [] });
    invalid({ kind: 'Atomic', commands: [{ kind: 'Atomic', commands: [{ kind: 'Delete', uris: ['./A'] }] }] });
    invalid({ kind: 'Atomic', commands: [{ kind: 'Sequence', commands: [{ kind: 'Get', uris: ['./A'] }] }] });
  });
});

describe('flattenChildren', () => {
  it('lists nested commands depth first, the order of childCmdIds', () => {
    const c: JobCommand = { kind: 'Sequence', commands: [{ kind: 'Atomic', commands: [{ kind: 'Delete', uris: ['./1'] }] }, { kind: 'Get', uris: ['./2'] }] };
    assert.deepEqual(flattenChildren(c).map((x) => x.kind), ['Atomic', 'Delete', 'Get']);
    assert.deepEqual(flattenChildren({ kind: 'Get', uris: ['./A'] }), []);
  });
});

describe('hasExec and jobCommandSize', () => {
  it('finds nested Execs and measures the JSON bytes', () => {
    assert.equal(hasExec({ kind: 'Sequence', commands: [{ kind: 'Exec', item: { uri: './X' } }] }), true);
    assert.equal(hasExec({ kind: 'Get', uris: ['./X'] }), false);
    const c: JobCommand = { kind: 'Replace', items: [{ uri: './é', data: 'ü' }] };
    assert.equal(jobCommandSize(c), Buffer.byteLength(JSON.stringify(c)));
  });
});
