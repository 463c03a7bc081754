import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideRange } from '../../../src/server/firmware/http-range.js';

const base = { size: 1000, etag: '"abc"', lastModified: Date.UTC(2024, 0, 2, 3, 4, 5) };

describe('decideRange', () => {
  it('serves the whole package without a Range header', () => {
    assert.deepEqual(decideRange({ ...base }), { kind: 'full' });
  });

  it('serves a closed, an open and a suffix range', () => {
    assert.deepEqual(decideRange({ ...base, range: 'bytes=0-99' }), { kind: 'partial', start: 0, end: 99 });
    assert.deepEqual(decideRange({ ...base, range: 'bytes=900-' }), { kind: 'partial', start: 900, end: 999 });
    assert.deepEqual(decideRange({ ...base, range: 'bytes=-10' }), { kind: 'partial', start: 990, end: 999 });
    assert.deepEqual(decideRange({ ...base, range: 'bytes=-5000' }), { kind: 'partial', start: 0, end: 999 });
  });

  it('clamps a range that runs past the end', () => {
    assert.deepEqual(decideRange({ ...base, range: 'bytes=500-5000' }), { kind: 'partial', start: 500, end: 999 });
  });

  it('answers 416 for a range starting at or after the end', () => {
    assert.deepEqual(decideRange({ ...base, range: 'bytes=1000-' }), { kind: 'unsatisfiable' });
    assert.deepEqual(decideRange({ ...base, range: 'bytes=-0' }), { kind: 'unsatisfiable' });
  });

  it('ignores multi-range, other units and reversed ranges (RFC 9110 §14.2)', () => {
    assert.deepEqual(decideRange({ ...base, range: 'bytes=0-1,5-6' }), { kind: 'full' });
    assert.deepEqual(decideRange({ ...base, range: 'items=0-1' }), { kind: 'full' });
    assert.deepEqual(decideRange({ ...base, range: 'bytes=9-3' }), { kind: 'full' });
  });

  it('keeps the range only when If-Range matches the strong ETag or the date', () => {
    assert.equal(decideRange({ ...base, range: 'bytes=10-', ifRange: '"abc"' }).kind, 'partial');
    assert.equal(decideRange({ ...base, range: 'bytes=10-', ifRange: '"old"' }).kind, 'full');
    assert.equal(decideRange({ ...base, range: 'bytes=10-', ifRange: 'W/"abc"' }).kind, 'full');
    assert.equal(decideRange({ ...base, range: 'bytes=10-', ifRange: new Date(base.lastModified).toUTCString() }).kind, 'partial');
    assert.equal(decideRange({ ...base, range: 'bytes=10-', ifRange: new Date(base.lastModified + 5000).toUTCString() }).kind, 'full');
  });
});
