/**
 * Node properties addressed as `URI?prop=Name` (OMA-TS-DM_TND §7.3–7.7; reference §2.9, §5):
 * Get of every property, Replace of ACL, Name (rename), Title and `msft:AccessRole`.
 * Unsupported property → 406, command the property does not allow → 405.
 */
import { ProtocolError } from '../../core/errors.js';
import { Status } from '../../core/constants/status.js';
import { formatAcl, parseAcl } from '../../core/tree/acl.js';
import { checkPropertyCommand, formatTStamp, isValidTitle, type NodeProperty } from '../../core/tree/properties.js';
import { formatRoleMask, parseRoleMask } from '../../core/tree/security-role.js';
import { type ParsedNodeUri, ROOT_URI, joinUri, nodeName, parentUri } from '../../core/tree/uri.js';
import type { ItemData } from '../../core/syncml/message.js';
import type { ManagementTree } from './management-tree.js';
import type { NodeRecord } from './node.js';
import type { NodeWrite, TreeCaller, TreeResult } from './tree-api.js';
import { defaultLeafType } from './tree-values.js';

/** Properties this tree implements (the Microsoft ones other than AccessRole are not kept). */
const SUPPORTED: ReadonlySet<NodeProperty> = new Set<NodeProperty>([
  'ACL', 'Format', 'Name', 'Size', 'Title', 'TStamp', 'Type', 'VerNo', 'msft:AccessRole',
]);

/** Get of `URI?prop=Name`. */
export function getProperty(
  tree: ManagementTree,
  request: { parsed: ParsedNodeUri; locUri: string; command: 'Get'; caller: TreeCaller },
): TreeResult {
  const { parsed, caller } = request;
  const rec = tree.record(parsed.uri);
  if (rec === undefined) return { status: Status.NOT_FOUND };
  const def = tree.describe(parsed.uri);
  const check = checkPropertyCommand({
    property: parsed.query?.prop ?? '', command: 'Get', interior: rec.interior,
    permanent: parsed.uri === ROOT_URI || def?.permanent === true, supported: SUPPORTED,
  });
  if (!check.ok) return { status: check.status };
  // A node whose description has no Get (./Inbox, secrets) answers 405 to every Get, properties included.
  if (def !== undefined && !def.allows('Get')) return { status: Status.COMMAND_NOT_ALLOWED };
  if (!tree.permits(caller, 'Get', parsed.uri)) return { status: Status.PERMISSION_DENIED };
  const value = propertyValue(tree, parsed, rec, check.property);
  return { status: Status.OK, items: [{ source: { locUri: request.locUri }, data: value }] };
}

/** The value of one property, as the UTF-8 text TND §7.4 requires. */
export function propertyValue(tree: ManagementTree, parsed: ParsedNodeUri, rec: NodeRecord, property: NodeProperty): string {
  switch (property) {
    // TND §7.7.1: Get of an ACL without a value returns empty data (no ancestor lookup).
    case 'ACL': return rec.extras?.acl ?? '';
    case 'Format': return rec.format;
    case 'Name': return nodeName(parsed.uri);
    case 'Size': return String(rec.size);
    case 'Title': return rec.extras?.title ?? '';
    case 'TStamp': return formatTStamp(new Date(rec.extras?.tstamp ?? tree.template.createdAt));
    case 'Type': return rec.type ?? (rec.interior ? '' : defaultLeafType(rec.format));
    case 'VerNo': return String(rec.extras?.verNo ?? 0);
    case 'msft:AccessRole': {
      const mask = rec.extras?.roleMask ?? tree.describe(parsed.uri)?.desc.roleMask;
      return mask === undefined ? '' : formatRoleMask(mask);
    }
    default: return '';
  }
}

function dataText(data: ItemData | undefined): string | undefined {
  if (data === undefined) return '';
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return Buffer.from(data).toString('utf8');
  return undefined;
}

/** Replace of `URI?prop=Name`. */
export function replaceProperty(
  tree: ManagementTree,
  request: { parsed: ParsedNodeUri; write: NodeWrite; caller: TreeCaller },
): TreeResult {
  const { parsed, write, caller } = request;
  const rec = tree.record(parsed.uri);
  if (rec === undefined) return { status: Status.NOT_FOUND };
  const def = tree.describe(parsed.uri);
  const check = checkPropertyCommand({
    property: parsed.query?.prop ?? '', command: 'Replace', interior: rec.interior,
    permanent: parsed.uri === ROOT_URI || def?.permanent === true, supported: SUPPORTED,
  });
  if (!check.ok) return { status: check.status };
  const text = dataText(write.data);
  if (text === undefined) return { status: Status.BAD_REQUEST };
  const denied = { status: Status.PERMISSION_DENIED };
  switch (check.property) {
    case 'ACL': {
      // TND §7.7.1: an interior node's ACL is governed by itself, a leaf's by its parent's Replace right.
      const governing = rec.interior ? parsed.uri : parentUri(parsed.uri) ?? ROOT_URI;
      if (!tree.permits(caller, 'Replace', governing)) return denied;
      let acl: string;
      try {
        acl = formatAcl(parseAcl(text));
      } catch (err) {
        if (err instanceof ProtocolError) return { status: err.status };
        throw err;
      }
      if (parsed.uri === ROOT_URI && acl === '') return { status: Status.BAD_REQUEST }; // the root MUST keep a value
      tree.put(parsed.uri, rec.withExtras({ acl: acl === '' ? undefined : acl }));
      return { status: Status.OK };
    }
    case 'Title':
      if (!tree.permits(caller, 'Replace', parsed.uri)) return denied;
      if (!isValidTitle(text)) return { status: Status.BAD_REQUEST };
      tree.put(parsed.uri, rec.withExtras({ title: text === '' ? undefined : text }));
      return { status: Status.OK };
    case 'msft:AccessRole': {
      if (!tree.permits(caller, 'Replace', parsed.uri)) return denied;
      const mask = parseRoleMask(text);
      if (mask === undefined) return { status: Status.BAD_REQUEST };
      tree.put(parsed.uri, rec.withExtras({ roleMask: mask }));
      return { status: Status.OK };
    }
    case 'Name':
      if (!tree.permits(caller, 'Replace', parsed.uri)) return denied;
      return rename(tree, { parsed, rec, newName: text, caller });
    default:
      return { status: Status.COMMAND_NOT_ALLOWED };
  }
}

function rename(
  tree: ManagementTree,
  request: { parsed: ParsedNodeUri; rec: NodeRecord; newName: string; caller: TreeCaller },
): TreeResult {
  const { parsed, newName, caller } = request;
  const parent = parentUri(parsed.uri) ?? ROOT_URI;
  let target;
  try {
    target = joinUri(parent, newName);
  } catch {
    return { status: Status.BAD_REQUEST };
  }
  if (target === parsed.uri) return { status: Status.OK };
  // TND §7.7.3: a rename that collides with a sibling is 418.
  if (tree.record(target) !== undefined) return { status: Status.ALREADY_EXISTS };
  const def = tree.describe(parsed.uri);
  const parentDef = tree.describe(parent);
  // The new name must keep the node under the same description (a dynamic `<x>` stays dynamic).
  if (parentDef !== undefined && tree.childDef(parentDef, newName) !== def) return { status: Status.COMMAND_NOT_ALLOWED };
  const change = { kind: 'rename', uri: parsed.uri, newUri: target, interior: request.rec.interior, caller } as const;
  const hooked = tree.beforeHook(def, change);
  if (hooked !== undefined) return { status: hooked };
  tree.rename(parsed.uri, newName);
  tree.afterHook(def, change);
  return { status: Status.OK };
}
