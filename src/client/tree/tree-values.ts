/**
 * Leaf values in and out of the tree: checking what a server writes against the node's format
 * (OMA-TS-DM_TND §7.7.2; reference §2.8), and building the Results item of a Get.
 */
import { Status } from '../../core/constants/status.js';
import { Namespace } from '../../core/constants/meta-types.js';
import { isElement, textOf } from '../../core/codec/element.js';
import type { Item, ItemData, Meta } from '../../core/syncml/message.js';
import { b64ToBin, DEFAULT_TYPE, isFormat, validateValue } from '../../core/tree/formats.js';
import { parseRoleMask } from '../../core/tree/security-role.js';
import type { LeafValue, NodeRecord } from './node.js';
import type { NodeDef } from './schema.js';

/** A checked value and the format to store it with. */
export interface CheckedValue {
  /** Stored value. */
  readonly value: LeafValue;
  /** Stored format (`b64` written to a `bin` node is stored as `bin`). */
  readonly format: string;
}

/**
 * Checks a value a server writes. Returns the value to store, or the status to answer:
 * 415 when the node does not take the format, 400 when the value does not match it.
 */
export function checkValue(
  def: NodeDef | undefined, format: string, data: ItemData | undefined, current?: string,
): CheckedValue | number {
  if (def !== undefined && !def.accepts(format)) return Status.UNSUPPORTED_MEDIA_TYPE;
  if (data !== undefined && typeof data !== 'string' && !(data instanceof Uint8Array)) {
    // Embedded markup is only meaningful for TNDS (handled before) — a plain leaf cannot hold it.
    return Status.UNSUPPORTED_MEDIA_TYPE;
  }
  const raw = data ?? '';
  // WM: `b64` is a transport encoding of `bin` (reference §2.8): store the decoded bytes.
  const binNode = def !== undefined ? def.formats.includes('bin') && !def.formats.includes('b64') : current === 'bin';
  if (format === 'b64' && binNode) {
    if (raw instanceof Uint8Array) return { value: raw, format: 'bin' };
    const bytes = b64ToBin(raw);
    return bytes === undefined ? Status.BAD_REQUEST : { value: bytes, format: 'bin' };
  }
  if (!isFormat(format)) {
    // Vendor formats (WM `mchr`) are kept as text.
    return { value: typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'), format };
  }
  const check = validateValue(format, raw);
  return check.ok ? { value: check.normalized, format } : Status.BAD_REQUEST;
}

/** The `msft:AccessRole` of an Item Meta (reference §5), undefined when absent, or NaN when malformed. */
export function metaAccessRole(meta: Meta | undefined): number | undefined {
  const ext = meta?.extensions?.find((e) => e.name === 'AccessRole' && (e.ns === undefined || e.ns === Namespace.MSFT));
  if (ext === undefined) return undefined;
  return parseRoleMask(textOf(ext)) ?? Number.NaN;
}

/** Type reported for a leaf without one. */
export function defaultLeafType(format: string): string {
  return format === 'bin' ? 'application/octet-stream' : DEFAULT_TYPE;
}

/**
 * The Results item of a Get. Interior: the child names separated by `/`, Format `node`
 * (TND §6; reference §1.4). Leaf: the value with Size; Format and Type are left out when they
 * are the defaults `chr` / `text/plain` (RepPro Meta defaults) — as the AOSP engine answers.
 */
export function resultItem(locUri: string, rec: NodeRecord): Item {
  if (rec.interior) {
    const meta: Meta = rec.type ? { format: 'node', type: rec.type } : { format: 'node' };
    return { source: { locUri }, meta, data: (rec.children ?? []).join('/') };
  }
  const type = rec.type ?? defaultLeafType(rec.format);
  const meta: Meta = rec.format === 'chr'
    ? (type === DEFAULT_TYPE ? { size: rec.size } : { type, size: rec.size })
    : { format: rec.format, type, size: rec.size };
  return { source: { locUri }, meta, data: rec.value ?? '' };
}

/** True when Item Data holds embedded markup. */
export function isMarkup(data: ItemData | undefined): boolean {
  return data !== undefined && typeof data !== 'string' && !(data instanceof Uint8Array) && isElement(data);
}
