/**
 * Microsoft security roles (reference §2.10, §5): Windows Mobile replaces OMA ACL enforcement with
 * role masks. A node's `msft:AccessRole` is a bit mask of the roles allowed to touch it; a session
 * holds the roles its server account was bootstrapped with.
 */

/** Security-role bits (SECROLE_*). Masks are open: unknown bits are kept, never rejected. */
export const SecurityRole = {
  /** SECROLE_NONE. */
  NONE: 0,
  /** SECROLE_OEM. */
  OEM: 2,
  /** SECROLE_OPERATOR. */
  OPERATOR: 4,
  /** SECROLE_MANAGER (the w7 ROLE of the WM example; "mobile operator" on Win10). */
  MANAGER: 8,
  /** SECROLE_USER_AUTH. */
  USER_AUTH: 16,
  /** Enterprise (Win10 w7 ROLE 32). */
  ENTERPRISE: 32,
  /** SECROLE_OPERATOR_TPS. */
  OPERATOR_TPS: 128,
  /** SECROLE_KNOWN_PPG. */
  KNOWN_PPG: 256,
} as const;
/** One named role bit. */
export type SecurityRole = (typeof SecurityRole)[keyof typeof SecurityRole];

/** Largest mask value (32-bit unsigned, as the metabase stores it). */
export const MAX_ROLE_MASK = 0xffffffff;

/**
 * True when a session holding `sessionRoles` may act on a node whose AccessRole is `nodeMask`:
 * at least one role bit in common. A mask of 0 allows nobody; a node *without* an AccessRole is
 * the caller's decision (no restriction on WM).
 */
export function roleMaskAllows(nodeMask: number, sessionRoles: number): boolean {
  return ((nodeMask & sessionRoles) >>> 0) !== 0;
}

/** Reads a role mask: decimal or `0x` hex, 0..2^32-1, surrounding whitespace ignored; else undefined. */
export function parseRoleMask(text: string): number | undefined {
  const t = text.trim();
  if (!/^(?:\d{1,10}|0[xX][0-9A-Fa-f]{1,8})$/.test(t)) return undefined;
  const n = Number(t);
  return n <= MAX_ROLE_MASK ? n : undefined;
}

/** Role mask as the decimal string used over DM (`<msft:AccessRole>8</msft:AccessRole>`). */
export function formatRoleMask(mask: number): string {
  return String(mask >>> 0);
}

/** Names of the known roles set in `mask` (ascending), then unknown bits as decimal strings. */
export function roleNames(mask: number): string[] {
  const out: string[] = [];
  let rest = mask >>> 0;
  for (const [name, bit] of Object.entries(SecurityRole)) {
    if (bit !== 0 && (rest & bit) !== 0) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  for (let bit = 1; rest !== 0 && bit <= 0x80000000; bit = bit * 2) {
    if ((rest & bit) >>> 0 !== 0) {
      out.push(String(bit));
      rest = (rest & ~bit) >>> 0;
    }
  }
  return out;
}
