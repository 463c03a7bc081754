import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderStatusDoc } from '../../scripts/gen-status-doc.js';
import { ErrorCode } from '../../src/core/errors.js';

describe('reference docs', () => {
  it('status-codes.md is what the constants generate', () => {
    assert.equal(readFileSync('docs/reference/status-codes.md', 'utf8'), renderStatusDoc(),
      'run: node --import tsx scripts/gen-status-doc.ts');
  });

  it('errors.md documents every error code', () => {
    const page = readFileSync('docs/reference/errors.md', 'utf8');
    const missing = Object.values(ErrorCode).filter((c) => !page.includes(`\`${c}\``));
    assert.deepEqual(missing, []);
  });
});
