/**
 * Node properties (OMA-TS-DM_TND §7 "Properties of Nodes", table "Allowed operations on
 * properties") plus the Microsoft properties reachable over DM (`msft:` prefix, reference §5).
 * The tree uses these rules to answer `URI?prop=Name` with 200, 405 or 406.
 */
import { Status } from '../constants/status.js';

/** Property names addressable with `?prop=` (standard OMA plus Microsoft `msft:` ones). */
export const NodeProperty = {
  /** Access control list (TND §7.7.1). */
  ACL: 'ACL',
  /** Value format, set by Add/Replace Meta Format. */
  FORMAT: 'Format',
  /** Node name; Replace renames. */
  NAME: 'Name',
  /** Leaf value size in unencoded bytes (leaf only). */
  SIZE: 'Size',
  /** Human-readable title, at most 255 bytes. */
  TITLE: 'Title',
  /** Last-modified time stamp, ISO 8601 basic UTC. */
  TSTAMP: 'TStamp',
  /** MIME type (leaf) or MO identifier (interior). */
  TYPE: 'Type',
  /** 16-bit version number, bumped on change. */
  VER_NO: 'VerNo',
  /** Microsoft role mask of the node (reference §2.10, §5). */
  MSFT_ACCESS_ROLE: 'msft:AccessRole',
  /** Microsoft: maximum length of a chr leaf. */
  MSFT_MAX_LENGTH: 'msft:MaxLength',
  /** Microsoft: maximum value of an int leaf. */
  MSFT_MAX_VALUE: 'msft:MaxValue',
  /** Microsoft: minimum value of an int leaf. */
  MSFT_MIN_VALUE: 'msft:MinValue',
  /** Microsoft: 0 single / 1 multiple options. */
  MSFT_MULTIPLE: 'msft:Multiple',
  /** Microsoft: read/write permission. */
  MSFT_RW_ACCESS: 'msft:RWAccess',
} as const;
/** One of the known property names. */
export type NodeProperty = (typeof NodeProperty)[keyof typeof NodeProperty];

/** Commands that can target a property URI at all (TND §7.5: properties do not support Add). */
export type PropertyCommand = 'Get' | 'Replace';

/** What the spec (or the Microsoft metabase table) says about one property. */
export interface PropertyRule {
  /** Commands allowed on `URI?prop=Name`. */
  readonly commands: readonly PropertyCommand[];
  /** TND §7: MUST be supported by every device. */
  readonly mandatory: boolean;
  /** Interior nodes MUST NOT have it (Size). */
  readonly leafOnly: boolean;
  /** Replace is refused on permanent nodes (Name: permanent nodes cannot be renamed). */
  readonly replaceNeedsDynamic: boolean;
}

const rule = (commands: readonly PropertyCommand[], mandatory: boolean, extra: Partial<PropertyRule> = {}): PropertyRule =>
  ({ commands, mandatory, leafOnly: false, replaceNeedsDynamic: false, ...extra });

/** Rules per property (reference §2.9 table; Microsoft rows other than AccessRole are Get-only, a choice). */
export const PROPERTY_RULES: Readonly<Record<NodeProperty, PropertyRule>> = {
  ACL: rule(['Get', 'Replace'], true),
  Format: rule(['Get'], true),
  Name: rule(['Get', 'Replace'], true, { replaceNeedsDynamic: true }),
  Size: rule(['Get'], false, { leafOnly: true }),
  Title: rule(['Get', 'Replace'], false),
  TStamp: rule(['Get'], false),
  Type: rule(['Get'], true),
  VerNo: rule(['Get'], false),
  'msft:AccessRole': rule(['Get', 'Replace'], false),
  'msft:MaxLength': rule(['Get'], false),
  'msft:MaxValue': rule(['Get'], false),
  'msft:MinValue': rule(['Get'], false),
  'msft:Multiple': rule(['Get'], false),
  'msft:RWAccess': rule(['Get'], false),
};

/** Names usable in a `?list=TNDS+Name` selection: the TNDS RTProperties plus `Value`. */
export const LIST_PROPERTY_NAMES = ['ACL', 'Format', 'Name', 'Size', 'Title', 'TStamp', 'Type', 'VerNo', 'Value'] as const;
/** One name of {@link LIST_PROPERTY_NAMES}. */
export type ListProperty = (typeof LIST_PROPERTY_NAMES)[number];

/** Longest Title value in bytes (TND §7.7.5). */
export const MAX_TITLE_BYTES = 255;
/** Largest VerNo before it wraps to 0 (TND §7.7.8: 16 bits). */
export const MAX_VER_NO = 0xffff;

/**
 * Maps a decoded `?prop=` name to a known property. Standard names match exactly (URIs are
 * case sensitive); the Microsoft prefix is matched case-insensitively (`msft:` / `MSFT:`).
 */
export function parsePropertyName(text: string): NodeProperty | undefined {
  const m = /^msft:(.+)$/i.exec(text);
  const name = m ? `msft:${m[1] ?? ''}` : text;
  return Object.hasOwn(PROPERTY_RULES, name) ? (name as NodeProperty) : undefined;
}

/** Outcome of {@link checkPropertyCommand}. */
export type PropertyCheck =
  | { readonly ok: true; readonly property: NodeProperty }
  | { readonly ok: false; readonly status: 405 | 406; readonly reason: string };

/** Input of {@link checkPropertyCommand}. */
export interface PropertyCommandInput {
  /** Decoded `?prop=` value. */
  readonly property: string;
  /** SyncML command name (`Get`, `Replace`, `Add`, `Delete`, `Exec`, `Copy`, ...). */
  readonly command: string;
  /** True for interior nodes. */
  readonly interior: boolean;
  /** True for permanent (not server-created) nodes. */
  readonly permanent?: boolean;
  /** Properties this device implements (default: all of {@link NodeProperty}). */
  readonly supported?: ReadonlySet<NodeProperty>;
}

/**
 * Decides whether a command may run on `URI?prop=Name`: 406 for an unknown or unsupported property
 * (TND §7.3) or Size on an interior node, 405 for a command the property does not allow (TND §7.5)
 * or a rename of a permanent node.
 */
export function checkPropertyCommand(input: PropertyCommandInput): PropertyCheck {
  const property = parsePropertyName(input.property);
  if (property === undefined || (input.supported && !input.supported.has(property))) {
    return { ok: false, status: Status.OPTIONAL_FEATURE_NOT_SUPPORTED, reason: `property "${input.property}" is not supported` };
  }
  const r = PROPERTY_RULES[property];
  if (r.leafOnly && input.interior) {
    return { ok: false, status: Status.OPTIONAL_FEATURE_NOT_SUPPORTED, reason: `interior nodes have no ${property} property` };
  }
  if (!(r.commands as readonly string[]).includes(input.command)) {
    return { ok: false, status: Status.COMMAND_NOT_ALLOWED, reason: `${input.command} is not allowed on property ${property}` };
  }
  if (input.command === 'Replace' && r.replaceNeedsDynamic && input.permanent === true) {
    return { ok: false, status: Status.COMMAND_NOT_ALLOWED, reason: `${property} of a permanent node cannot be replaced` };
  }
  return { ok: true, property };
}

/** True when a Title fits the 255-byte limit (UTF-8). */
export function isValidTitle(title: string): boolean {
  return Buffer.byteLength(title, 'utf8') <= MAX_TITLE_BYTES;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** TStamp value of a date: ISO 8601 basic format in UTC, e.g. `20010711T163817Z` (TND §7.7.6). */
export function formatTStamp(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

/**
 * Reads a TStamp: basic `YYYYMMDDThhmmssZ` or extended `YYYY-MM-DDThh:mm:ssZ` (UTC, seconds and a
 * fraction optional). Returns undefined for anything else or an impossible date.
 */
export function parseTStamp(text: string): Date | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?Z$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it maps years 0..99 to 19xx
  date.setUTCHours(h, mi, s, 0);
  const same = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d &&
    date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  return same ? date : undefined;
}

/** Next VerNo: +1, wrapping 0xFFFF → 0 (TND §7.7.8). */
export function nextVerNo(verNo: number): number {
  return (verNo + 1) & MAX_VER_NO;
}
