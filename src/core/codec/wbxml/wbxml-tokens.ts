/**
 * WBXML global tokens and header constants (WAP-192-WBXML-20010725 §5.8.4 and §5.5–5.6).
 * They mean the same on every code page.
 */

/** Global tokens (WBXML 1.3 §7.1, table 4). */
export const GlobalToken = {
  SWITCH_PAGE: 0x00,
  END: 0x01,
  ENTITY: 0x02,
  STR_I: 0x03,
  LITERAL: 0x04,
  EXT_I_0: 0x40,
  EXT_I_1: 0x41,
  EXT_I_2: 0x42,
  PI: 0x43,
  LITERAL_C: 0x44,
  EXT_T_0: 0x80,
  EXT_T_1: 0x81,
  EXT_T_2: 0x82,
  STR_T: 0x83,
  LITERAL_A: 0x84,
  EXT_0: 0xc0,
  EXT_1: 0xc1,
  EXT_2: 0xc2,
  OPAQUE: 0xc3,
  LITERAL_AC: 0xc4,
} as const;

/** Tag token bit: the element has content and ends with END (§5.8.2). */
export const TAG_CONTENT = 0x40;
/** Tag token bit: an attribute list follows the tag (§5.8.2). */
export const TAG_ATTRIBUTES = 0x80;
/** Mask of the tag identity within a tag token. */
export const TAG_MASK = 0x3f;

/** Header public id meaning "unknown, see the string table or nothing" (§5.6, 0x01). */
export const PUBLIC_ID_UNKNOWN = 0x01;
/** Header public id 0: the id is a string-table index that follows (§5.6). */
export const PUBLIC_ID_LITERAL = 0x00;
/** IANA MIBenum of UTF-8, the only charset the codec reads and writes (§5.7). */
export const CHARSET_UTF8 = 106;

/** WBXML version bytes (§5.4: major - 1 in the high nibble, minor in the low nibble). */
export const WbxmlVersion = {
  V1_1: 0x01,
  V1_2: 0x02,
  V1_3: 0x03,
} as const;
/** A WBXML version byte the codec supports. */
export type WbxmlVersion = (typeof WbxmlVersion)[keyof typeof WbxmlVersion];
