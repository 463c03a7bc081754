/**
 * Tree exchange (OMA-TS-DM_TND §8.4; reference §1.4): `Get URI?list=Struct|StructData|TNDS`
 * and Add/Replace of a TNDS sub-tree (Meta Type `application/vnd.syncml.dmtnds+xml`).
 */
import { CodecError, ProtocolError } from '../../core/errors.js';
import { Status } from '../../core/constants/status.js';
import { MediaType } from '../../core/constants/meta-types.js';
import type { DmElement } from '../../core/codec/element.js';
import { decodeXmlDocument } from '../../core/codec/xml/decode-xml.js';
import type { Item, Meta } from '../../core/syncml/message.js';
import { formatAcl } from '../../core/tree/acl.js';
import { formatTStamp, type ListProperty } from '../../core/tree/properties.js';
import { type NodeUri, type ParsedNodeUri, ROOT_URI, nodeName, parentUri } from '../../core/tree/uri.js';
import { flattenTnds } from '../../core/tnds/flatten-tnds.js';
import { type TndsNode, type TndsProperties, tndsFromElement, tndsToElement } from '../../core/tnds/tnds.js';
import type { ManagementTree } from './management-tree.js';
import type { NodeRecord } from './node.js';
import type { NodeWrite, TreeCaller, TreeResult } from './tree-api.js';
import { defaultLeafType } from './tree-values.js';

/**
 * Properties a plain `?list=TNDS` returns (a choice, see docs/reference/management-tree.md):
 * Format, Type and the leaf values. `+P` selects only the named ones, `-P` removes from this set.
 */
export const DEFAULT_TNDS_PROPERTIES: readonly ListProperty[] = ['Format', 'Type', 'Value'];

/** Answers a `?list=` Get (the node itself was already checked by the caller). */
export function listTree(tree: ManagementTree, request: { parsed: ParsedNodeUri; locUri: string; caller: TreeCaller }): TreeResult {
  const { parsed, caller } = request;
  const kind = parsed.query?.list;
  if (kind === 'TNDS') {
    const include = parsed.query?.listProps?.include ?? DEFAULT_TNDS_PROPERTIES;
    const exclude = new Set(parsed.query?.listProps?.exclude ?? []);
    const props = new Set(include.filter((p) => !exclude.has(p)));
    const nodes = parsed.uri === ROOT_URI
      ? tree.childUris(ROOT_URI).flatMap((u) => tndsNode(tree, { uri: u, props, caller, path: '.' }) ?? [])
      : [tndsNode(tree, { uri: parsed.uri, props, caller, path: parentUri(parsed.uri) ?? ROOT_URI })].flatMap((n) => n ?? []);
    const element: DmElement = tndsToElement({ verDtd: '1.2', nodes });
    const meta: Meta = { format: 'xml', type: MediaType.TNDS_XML };
    return { status: Status.OK, items: [{ source: { locUri: request.locUri }, meta, data: element }] };
  }
  const items: Item[] = [];
  for (const [uri, rec] of tree.subtree(parsed.uri)) {
    if (!tree.permits(caller, 'Get', uri)) continue;
    const meta: Meta = rec.interior
      ? (rec.type ? { format: 'node', type: rec.type } : { format: 'node' })
      : { format: rec.format, type: rec.type ?? defaultLeafType(rec.format), size: rec.size };
    const withData = kind === 'StructData' && !rec.interior && tree.describe(uri)?.allows('Get') !== false;
    items.push(withData ? { source: { locUri: uri }, meta, data: rec.value ?? '' } : { source: { locUri: uri }, meta });
  }
  return { status: Status.OK, items };
}

function tndsNode(
  tree: ManagementTree,
  request: { uri: NodeUri; props: ReadonlySet<ListProperty>; caller: TreeCaller; path?: string },
): TndsNode | undefined {
  const { uri, props, caller } = request;
  const rec = tree.record(uri);
  if (rec === undefined || !tree.permits(caller, 'Get', uri)) return undefined;
  const children = rec.interior
    ? tree.childUris(uri, rec).flatMap((c) => tndsNode(tree, { uri: c, props, caller }) ?? [])
    : [];
  const readable = tree.describe(uri)?.allows('Get') !== false;
  const value = !rec.interior && props.has('Value') && readable ? rec.value ?? '' : undefined;
  return {
    name: nodeName(uri),
    ...(request.path !== undefined ? { path: request.path } : {}),
    props: tndsProps(tree, uri, rec, props),
    ...(value !== undefined ? { value } : {}),
    children,
  };
}

function tndsProps(tree: ManagementTree, uri: NodeUri, rec: NodeRecord, props: ReadonlySet<ListProperty>): TndsProperties {
  const p: { -readonly [K in keyof TndsProperties]: TndsProperties[K] } = {};
  if (props.has('ACL')) p.acl = rec.extras?.acl ?? '';
  if (props.has('Format')) p.format = rec.format;
  if (props.has('Name')) p.name = nodeName(uri);
  if (props.has('Size') && !rec.interior) p.size = rec.size;
  if (props.has('Title') && rec.extras?.title !== undefined) p.title = rec.extras.title;
  if (props.has('TStamp')) p.tstamp = formatTStamp(new Date(rec.extras?.tstamp ?? tree.template.createdAt));
  if (props.has('Type')) {
    if (rec.interior) {
      if (rec.type) p.type = { kind: 'DDFName', value: rec.type };
    } else {
      p.type = { kind: 'MIME', value: rec.type ?? defaultLeafType(rec.format) };
    }
  }
  if (props.has('VerNo')) p.verNo = rec.extras?.verNo ?? 0;
  return p;
}

/**
 * Add (or Replace) of a TNDS document below `target`: every node is created (or its value
 * replaced) as if the server had sent one command per node, all or nothing.
 */
export function writeTnds(
  tree: ManagementTree,
  request: { target: NodeUri; write: NodeWrite; caller: TreeCaller; mode: 'add' | 'replace' },
): TreeResult {
  const { write, caller } = request;
  let entries;
  try {
    const data = write.data;
    let root: DmElement;
    if (typeof data === 'string') root = decodeXmlDocument(data).root;
    else if (data === undefined || data instanceof Uint8Array) return { status: Status.UNSUPPORTED_MEDIA_TYPE };
    else root = data;
    entries = flattenTnds(tndsFromElement(root), request.target);
  } catch (err) {
    if (err instanceof ProtocolError) return { status: err.status };
    if (err instanceof CodecError) return { status: Status.BAD_REQUEST };
    throw err;
  }
  const sp = tree.savepoint();
  for (const e of entries) {
    const exists = tree.record(e.uri);
    let code: number;
    const meta: Meta = {
      format: e.format ?? (e.interior ? 'node' : 'chr'),
      ...(e.type !== undefined && e.type !== '' ? { type: e.type } : {}),
    };
    if (request.mode === 'add') {
      if (exists?.interior && e.interior) continue; // merge into an existing interior node
      code = tree.add({ uri: e.uri, meta, ...(e.value !== undefined ? { data: e.value } : {}) }, caller).status;
    } else if (e.interior) {
      code = exists?.interior ? Status.OK : Status.NOT_FOUND;
    } else {
      code = tree.replace({ uri: e.uri, meta, data: e.value ?? '' }, caller).status;
    }
    if (code < 200 || code > 299) {
      sp.rollback();
      return { status: code };
    }
    if (request.mode === 'add' && (e.acl !== undefined || e.title !== undefined)) {
      const rec = tree.record(e.uri);
      if (rec !== undefined) {
        tree.put(e.uri, rec.withExtras({
          ...(e.acl !== undefined ? { acl: formatAcl(e.acl) } : {}),
          ...(e.title !== undefined ? { title: e.title } : {}),
        }));
      }
    }
  }
  sp.commit();
  return { status: Status.OK };
}
