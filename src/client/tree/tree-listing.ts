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
import { formatTStamp } from '../../core/tree/properties.js';
import type { NodeUri, ParsedNodeUri } from '../../core/tree/uri.js';
import { flattenTnds } from '../../core/tnds/flatten-tnds.js';
import { type TreeNodeRecord, buildStructList, buildTnds, resolveListProps } from '../../core/tnds/build-tnds.js';
import { tndsFromElement, tndsToElement } from '../../core/tnds/tnds.js';
import type { ManagementTree } from './management-tree.js';
import type { NodeRecord } from './node.js';
import type { NodeWrite, TreeCaller, TreeResult } from './tree-api.js';
import { defaultLeafType } from './tree-values.js';

/** Answers a `?list=` Get (the node itself was already checked by the caller). */
export function listTree(tree: ManagementTree, request: { parsed: ParsedNodeUri; locUri: string; caller: TreeCaller }): TreeResult {
  const { parsed, caller } = request;
  // Only nodes the caller may Get are listed; values only where the description allows Get.
  const records: TreeNodeRecord[] = [];
  for (const [uri, rec] of tree.subtree(parsed.uri)) {
    if (tree.permits(caller, 'Get', uri)) records.push(nodeRecordOf(tree, uri, rec));
  }
  if (parsed.query?.list === 'TNDS') {
    const tnds = buildTnds(records, { baseUri: parsed.uri, properties: resolveListProps(parsed.query.listProps) });
    const meta: Meta = { format: 'xml', type: MediaType.TNDS_XML };
    return { status: Status.OK, items: [{ source: { locUri: request.locUri }, meta, data: tndsToElement(tnds) }] };
  }
  const list = buildStructList(records, { baseUri: parsed.uri, includeValues: parsed.query?.list === 'StructData' });
  const items: Item[] = list.map((s) => {
    const meta: Meta = { format: s.format, ...(s.type !== undefined ? { type: s.type } : {}) };
    return s.value === undefined ? { source: { locUri: s.uri }, meta } : { source: { locUri: s.uri }, meta, data: s.value };
  });
  return { status: Status.OK, items };
}

function nodeRecordOf(tree: ManagementTree, uri: NodeUri, rec: NodeRecord): TreeNodeRecord {
  const x = rec.extras;
  const readable = tree.describe(uri)?.allows('Get') !== false;
  const type = rec.type ?? (rec.interior ? undefined : defaultLeafType(rec.format));
  return {
    uri,
    interior: rec.interior,
    format: rec.format,
    ...(type !== undefined ? { type } : {}),
    ...(x?.acl !== undefined ? { acl: x.acl } : {}),
    ...(rec.interior ? {} : { size: rec.size }),
    ...(x?.title !== undefined ? { title: x.title } : {}),
    tstamp: formatTStamp(new Date(x?.tstamp ?? tree.template.createdAt)),
    verNo: x?.verNo ?? 0,
    ...(!rec.interior && readable && rec.value !== undefined ? { value: rec.value } : {}),
  };
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
