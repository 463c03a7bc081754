/**
 * When the WBXML encoder writes the text of a SyncML `<Data>` as OPAQUE instead of STR_I.
 * The default copies what libwbxml's xml2wbxml does (wbxml_tree.c, the SyncML data-type check
 * behind its XML parser), so that our bytes equal `xml2wbxml -n` output for the same tree.
 */
import { isElement, type DmElement } from '../element.js';

/** What an opaque-data predicate sees besides the element path. */
export interface OpaqueDataContext {
  /** The `Data` element whose text is being written. */
  readonly element: DmElement;
  /** Its ancestors, root first, parent last. */
  readonly ancestors: readonly DmElement[];
}

/**
 * Decides whether the text of a `Data` element is written as OPAQUE. `path` runs from the root to
 * the Data element. Both arrays are the encoder's live state: read them during the call, do not keep them.
 */
export type OpaqueDataPredicate = (path: readonly string[], context: OpaqueDataContext) => boolean;

/** Meta Type values libwbxml treats as opaque content wherever the Data is. */
const OPAQUE_TYPES: ReadonlySet<string> = new Set([
  'text/clear', 'text/directory;profile=vCard', 'text/x-vcard', 'text/x-vcalendar',
]);
/** Meta Type values libwbxml treats as structured (never opaque), even inside Add/Replace. */
const STRUCTURED_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.syncml-devinf+wbxml', 'application/vnd.syncml-devinf+xml',
  'application/vnd.syncml.dmtnds+wbxml', 'application/vnd.syncml.dmtnds+xml',
]);

/**
 * libwbxml's rule. The Meta Type is looked up in the first `Meta` that precedes the Data in its
 * parent (usually Item), else in the first `Meta` that precedes the parent in the grandparent
 * (the command), because libwbxml decides while parsing and sees only what came before:
 * - a vCard/vCalendar/`text/clear` Type → OPAQUE;
 * - a DevInf or TNDS Type → inline string;
 * - otherwise → OPAQUE when the grandparent is `Add` or `Replace` (libwbxml assumes a vObject),
 *   else an inline string.
 * Type text is compared exactly, as libwbxml does.
 */
export function libwbxmlOpaqueData(_path: readonly string[], context: OpaqueDataContext): boolean {
  const { element, ancestors } = context;
  if (element.name !== 'Data') return false;
  const parent = ancestors[ancestors.length - 1];
  const grand = ancestors[ancestors.length - 2];
  if (!parent) return false;
  const type = dataMetaType(element, parent, grand);
  if (type) {
    const text = type.children[0];
    if (typeof text === 'string') {
      if (OPAQUE_TYPES.has(text)) return true;
      if (STRUCTURED_TYPES.has(text)) return false;
    }
  }
  return grand !== undefined && (grand.name === 'Add' || grand.name === 'Replace');
}

/**
 * The Meta `Type` element libwbxml associates with a Data element: from the first Meta before it
 * in its parent, else from the first Meta before the parent in the grandparent.
 */
export function dataMetaType(data: DmElement, parent: DmElement, grand: DmElement | undefined): DmElement | undefined {
  return metaTypeBefore(parent, data) ?? (grand ? metaTypeBefore(grand, parent) : undefined);
}

/** The `Type` in the first `Meta` child of `container` that comes before `before` (libwbxml looks no further). */
function metaTypeBefore(container: DmElement, before: DmElement): DmElement | undefined {
  for (const c of container.children) {
    if (c === before) return undefined;
    if (typeof c === 'string' || !isElement(c) || c.name !== 'Meta') continue;
    for (const m of c.children) if (typeof m !== 'string' && isElement(m) && m.name === 'Type') return m;
    return undefined;
  }
  return undefined;
}
