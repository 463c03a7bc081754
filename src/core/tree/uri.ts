/**
 * Management-tree URIs (OMA-TS-DM_TND §5 "The Management Tree", §7.3 property addressing, §8.4
 * tree exchange). Pure string work: parse what a peer sent into node names plus an optional
 * `?prop=` / `?list=` query, and build the one canonical spelling the tree uses as a key.
 */
import { ErrorCode, ProtocolError } from '../errors.js';
import { Status } from '../constants/status.js';
import { LIST_PROPERTY_NAMES, type ListProperty } from './properties.js';

declare const nodeUriBrand: unique symbol;
/**
 * Canonical absolute node URI: `.` for the root, otherwise `./` + escaped names joined by `/`
 * (names escaped with {@link escapeSegment}; a wildcard segment stays a bare `*`).
 */
export type NodeUri = string & { readonly [nodeUriBrand]: true };

/** The root node `.` (TND §5: the root MUST be denoted `.`, never `./`). */
export const ROOT_URI = '.' as NodeUri;

/** Tree-exchange kinds of `?list=` (TND §8.4.1). */
export type ListKind = 'Struct' | 'StructData' | 'TNDS';

/** Property selection after `?list=TNDS` (`+Name` includes, `-Name` excludes). */
export interface ListProps {
  /** Properties named with `+` (when present, only these are returned). */
  readonly include?: readonly ListProperty[];
  /** Properties named with `-` (removed from the returned set). */
  readonly exclude?: readonly ListProperty[];
}

/** The query part of a URI: either a property address or a tree-exchange request. */
export interface UriQuery {
  /** `?list=` kind. */
  readonly list?: ListKind;
  /** `?list=TNDS+X-Y` property selection. */
  readonly listProps?: ListProps;
  /** `?prop=` name, percent-decoded (`msft%3AAccessRole` → `msft:AccessRole`). */
  readonly prop?: string;
}

/** Result of {@link parseNodeUri}. */
export interface ParsedNodeUri {
  /** Canonical form of the path part (the tree key). */
  readonly uri: NodeUri;
  /** Unescaped node names below the root (empty for `.`). */
  readonly segments: readonly string[];
  /** Present when the URI had a `?` part. */
  readonly query?: UriQuery;
}

/** Limits (DevDetail/URI/MaxDepth, MaxTotLen, MaxSegLen; 0 or absent = unlimited) and syntax options. */
export interface NodeUriOptions {
  /** Most node names below the root (`./A/B` has depth 2). */
  readonly maxDepth?: number;
  /** Longest canonical path, in characters, query excluded. */
  readonly maxTotLen?: number;
  /** Longest canonical (escaped) node name, in characters. */
  readonly maxSegLen?: number;
  /** Accept a bare `*` segment as a wildcard (off by default: `*` is then a 400). */
  readonly allowWildcard?: boolean;
}

const LIST_KINDS: readonly ListKind[] = ['Struct', 'StructData', 'TNDS'];
const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function fail(status: number, message: string): never {
  throw new ProtocolError(status, message, { code: ErrorCode.ERR_TREE_URI_INVALID });
}

/**
 * Percent-escapes one node name: UTF-8 encode, then `%XX` (upper-case hex) for every byte that is
 * not an RFC 3986 unreserved character `A-Z a-z 0-9 - _ . ~` (RepPro LocURI: escape non-alphanumerics).
 */
export function escapeSegment(name: string): string {
  let out = '';
  for (const ch of name) {
    if (UNRESERVED.test(ch)) out += ch;
    else for (const b of utf8.encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Decodes `%XX` escapes of one segment (or query value) into a string: escapes become bytes,
 * literal characters their UTF-8 bytes, and the whole is decoded as strict UTF-8. Throws a
 * ProtocolError 400 on a malformed escape or invalid UTF-8.
 */
export function unescapeSegment(text: string): string {
  if (!text.includes('%')) {
    if (LONE_SURROGATE.test(text)) fail(Status.BAD_REQUEST, 'URI contains an unpaired surrogate');
    return text;
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    const ch = text[i] === '%' ? '%' : String.fromCodePoint(text.codePointAt(i) ?? 0);
    if (ch === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail(Status.BAD_REQUEST, `malformed percent escape at "${text.slice(i, i + 3)}"`);
      bytes.push(Number.parseInt(hex, 16));
      i += 3;
    } else {
      if (LONE_SURROGATE.test(ch)) fail(Status.BAD_REQUEST, 'URI contains an unpaired surrogate');
      bytes.push(...utf8.encode(ch));
      i += ch.length;
    }
  }
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return fail(Status.BAD_REQUEST, 'percent escapes are not valid UTF-8');
  }
}

/** Throws a 400 unless `name` may be a node name (TND §5: non-empty, no `/`, not `.` or `..`). */
function checkName(name: string, allowWildcard: boolean): void {
  if (name === '') fail(Status.BAD_REQUEST, 'empty URI segment');
  if (name.includes('/')) fail(Status.BAD_REQUEST, `node name "${name}" contains "/"`);
  if (name === '.' || name === '..') fail(Status.BAD_REQUEST, `"${name}" is not allowed inside a URI`);
  if (name === '*' && !allowWildcard) fail(Status.BAD_REQUEST, 'wildcard segment "*" is not allowed here');
}

/** Builds the canonical URI from unescaped node names (throws a 400 for an invalid name). */
export function toNodeUri(segments: readonly string[]): NodeUri {
  if (segments.length === 0) return ROOT_URI;
  let out = '.';
  for (const s of segments) {
    checkName(s, true);
    out += `/${s === '*' ? '*' : escapeSegment(s)}`;
  }
  return out as NodeUri;
}

/** Unescaped node names of a canonical URI (`[]` for the root). */
export function uriSegments(uri: NodeUri): string[] {
  if (uri === ROOT_URI) return [];
  return uri.slice(2).split('/').map((s) => (s === '*' ? s : unescapeSegment(s)));
}

/** Splits the path part into unescaped names (TND §5 syntax rules). */
function parsePath(path: string, allowWildcard: boolean): string[] {
  if (path === '') fail(Status.BAD_REQUEST, 'empty URI');
  if (path.startsWith('/')) fail(Status.BAD_REQUEST, `URI "${path}" must not start with "/"`);
  let rest = path === '.' ? '' : path.startsWith('./') ? path.slice(2) : path;
  // TND §5: a URI MUST NOT end with "/". Tolerated (one trailing slash is stripped), see docs/reference/tree.md.
  if (rest.length > 1 && rest.endsWith('/')) rest = rest.slice(0, -1);
  if (rest === '') return [];
  return rest.split('/').map((raw) => {
    if (raw === '.' || raw === '..') fail(Status.BAD_REQUEST, `"${raw}" is not allowed inside a URI`);
    const name = unescapeSegment(raw);
    checkName(name, allowWildcard);
    return name;
  });
}

function checkLimits(uri: NodeUri, depth: number, options: NodeUriOptions): void {
  const { maxDepth = 0, maxTotLen = 0, maxSegLen = 0 } = options;
  if (maxDepth > 0 && depth > maxDepth) fail(Status.URI_TOO_LONG, `URI depth ${depth} exceeds MaxDepth ${maxDepth}`);
  if (maxTotLen > 0 && uri.length > maxTotLen) fail(Status.URI_TOO_LONG, `URI length ${uri.length} exceeds MaxTotLen ${maxTotLen}`);
  if (maxSegLen > 0 && uri !== ROOT_URI) {
    for (const s of uri.slice(2).split('/')) {
      if (s.length > maxSegLen) fail(Status.URI_TOO_LONG, `URI segment length ${s.length} exceeds MaxSegLen ${maxSegLen}`);
    }
  }
}

function isListProperty(name: string): name is ListProperty {
  return (LIST_PROPERTY_NAMES as readonly string[]).includes(name);
}

/** Parses `TNDS+ACL+Format-Value` (already percent-decoded). */
function parseList(value: string): UriQuery {
  const m = /^([^+-]*)(.*)$/s.exec(value);
  const kind = m?.[1] ?? '';
  const tail = m?.[2] ?? '';
  if (kind === '') fail(Status.BAD_REQUEST, '"?list=" without a kind');
  if (!(LIST_KINDS as readonly string[]).includes(kind)) fail(Status.OPTIONAL_FEATURE_NOT_SUPPORTED, `unsupported ?list=${kind}`);
  if (tail === '') return { list: kind as ListKind };
  if (kind !== 'TNDS') fail(Status.OPTIONAL_FEATURE_NOT_SUPPORTED, `property selection is only defined for ?list=TNDS`);
  const include: ListProperty[] = [];
  const exclude: ListProperty[] = [];
  for (const tok of tail.match(/[+-][^+-]*/g) ?? []) {
    const name = tok.slice(1);
    if (name === '') fail(Status.BAD_REQUEST, `empty property name in ?list=${value}`);
    if (!isListProperty(name)) fail(Status.OPTIONAL_FEATURE_NOT_SUPPORTED, `unsupported TNDS property "${name}"`);
    (tok[0] === '+' ? include : exclude).push(name);
  }
  const listProps: ListProps = {
    ...(include.length ? { include } : {}),
    ...(exclude.length ? { exclude } : {}),
  };
  return { list: 'TNDS', listProps };
}

/** Parses the text after `?`: exactly one `prop=` or `list=` parameter. */
function parseQuery(text: string): UriQuery {
  const eq = text.indexOf('=');
  if (eq <= 0) fail(Status.BAD_REQUEST, `malformed URI query "?${text}"`);
  const key = text.slice(0, eq);
  const value = unescapeSegment(text.slice(eq + 1));
  if (key === 'prop') {
    if (value === '') fail(Status.BAD_REQUEST, '"?prop=" without a property name');
    if (/[&?=]/.test(value)) fail(Status.BAD_REQUEST, `malformed property name "${value}"`);
    return { prop: value };
  }
  if (key === 'list') return parseList(value);
  return fail(Status.OPTIONAL_FEATURE_NOT_SUPPORTED, `unsupported URI query "?${key}="`);
}

/**
 * Parses a LocURI addressing a node: `./A/B`, relative `A/B` (resolved against the root), `.`,
 * optionally followed by `?prop=Name` or `?list=Struct|StructData|TNDS[+P|-P...]`.
 * Throws ProtocolError (code ERR_TREE_URI_INVALID): 400 bad syntax, 406 unsupported query,
 * 414 over a DevDetail/URI limit.
 */
export function parseNodeUri(uri: string, options: NodeUriOptions = {}): ParsedNodeUri {
  const text = uri.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const segments = parsePath(path, options.allowWildcard === true);
  const canonical = toNodeUri(segments);
  checkLimits(canonical, segments.length, options);
  if (q < 0) return { uri: canonical, segments };
  return { uri: canonical, segments, query: parseQuery(text.slice(q + 1)) };
}

/** Canonical form of a URI without query (throws like {@link parseNodeUri}; a query is a 400). */
export function normalizeUri(uri: string, options: NodeUriOptions = {}): NodeUri {
  const parsed = parseNodeUri(uri, options);
  if (parsed.query) fail(Status.BAD_REQUEST, `unexpected query in "${uri}"`);
  return parsed.uri;
}

/** URI of the child named `child` (an unescaped node name) of `parent`. */
export function joinUri(parent: NodeUri, child: string): NodeUri {
  checkName(child, true);
  const seg = child === '*' ? '*' : escapeSegment(child);
  return (parent === ROOT_URI ? `./${seg}` : `${parent}/${seg}`) as NodeUri;
}

/** URI of the parent node, or undefined for the root. */
export function parentUri(uri: NodeUri): NodeUri | undefined {
  if (uri === ROOT_URI) return undefined;
  const i = uri.lastIndexOf('/');
  return (i <= 1 ? ROOT_URI : uri.slice(0, i)) as NodeUri;
}

/** Unescaped name of the node (`.` for the root). */
export function nodeName(uri: NodeUri): string {
  if (uri === ROOT_URI) return '.';
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  return last === '*' ? last : unescapeSegment(last);
}

/** True when `ancestor` is a proper ancestor of `descendant` (a node is not its own ancestor). */
export function isAncestor(ancestor: NodeUri, descendant: NodeUri): boolean {
  if (ancestor === descendant) return false;
  if (ancestor === ROOT_URI) return true;
  return descendant.startsWith(`${ancestor}/`);
}
