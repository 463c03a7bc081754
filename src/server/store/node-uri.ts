/**
 * Node URI normalization for the tree cache. OMA-TS-DM_TND §6 (URIs): `./A/B` and `A/B` name the
 * same node, and a trailing `/` is not part of a node name, so the cache keys every node as
 * `./A/B` (the root is `.`).
 */

/** `A/B/`, `./A/B` and `A/B` → `./A/B`; `.`, `./` and `` → `.`. Query parts (`?list=`) are kept. */
export function normalizeNodeUri(uri: string): string {
  let u = uri.trim();
  while (u.length > 1 && u.endsWith('/')) u = u.slice(0, -1);
  if (u === '' || u === '.' || u === '/') return '.';
  if (u.startsWith('./')) return u;
  if (u.startsWith('/')) return `.${u}`;
  return `./${u}`;
}

/** True for a URI that names a node (no `?list=`/`?prop=` query), i.e. one worth caching. */
export function isPlainNodeUri(uri: string): boolean {
  return !uri.includes('?');
}
