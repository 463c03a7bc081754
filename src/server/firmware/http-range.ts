/**
 * HTTP byte ranges for package downloads (RFC 9110 §14: Range, If-Range, 206, 416). Only a
 * single range is honoured; a multi-range request is answered with the whole package (200),
 * which §14.2 allows ("a server MAY ignore the Range header field").
 */

/** What to send for a request's Range / If-Range. */
export type RangeDecision =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

/** Inputs of {@link decideRange}. */
export interface RangeRequest {
  readonly range?: string | undefined;
  readonly ifRange?: string | undefined;
  /** Size of the representation in bytes. */
  readonly size: number;
  /** Strong ETag of the representation (quoted). */
  readonly etag: string;
  /** Last-Modified, ms since epoch. */
  readonly lastModified: number;
}

/**
 * Decides between 200, 206 and 416. If-Range (§13.1.5) only keeps the Range when the validator
 * matches: a strong ETag compares exactly; an HTTP date must equal Last-Modified (to the second).
 */
export function decideRange(req: RangeRequest): RangeDecision {
  if (req.range === undefined) return { kind: 'full' };
  if (req.ifRange !== undefined && !ifRangeMatches(req.ifRange.trim(), req)) return { kind: 'full' };
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(req.range.trim());
  if (!m) return { kind: 'full' }; // multi-range or another unit: ignored (§14.2)
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return { kind: 'full' };
  if (req.size === 0) return { kind: 'unsatisfiable' };
  if (a === '') {
    // Suffix range: the last N bytes.
    const n = Number(b);
    if (n === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, req.size - n), end: req.size - 1 };
  }
  const start = Number(a);
  if (start >= req.size) return { kind: 'unsatisfiable' };
  const end = b === '' ? req.size - 1 : Math.min(Number(b), req.size - 1);
  if (end < start) return { kind: 'full' }; // syntactically invalid: ignore the header
  return { kind: 'partial', start, end };
}

function ifRangeMatches(value: string, req: RangeRequest): boolean {
  if (value.startsWith('"') || value.startsWith('W/')) return !value.startsWith('W/') && value === req.etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && Math.floor(date / 1000) === Math.floor(req.lastModified / 1000);
}
