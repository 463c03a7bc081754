/**
 * SyncML DM messages on the wire: XML (`application/vnd.syncml.dm+xml`) and WBXML
 * (`application/vnd.syncml.dm+wbxml`). The byte-level codecs work on the element tree;
 * this module joins them to the typed model.
 */
import { CodecError, ErrorCode } from '../errors.js';
import { MediaType } from '../constants/meta-types.js';
import { DEFAULT_LIMITS, type DecodeLimits } from './element.js';
import { decodeXmlBytes, decodeXmlDocument } from './xml/decode-xml.js';
import { encodeXmlDocument } from './xml/encode-xml.js';
import { decodeWbxmlDocument } from './wbxml/decode-wbxml.js';
import { encodeWbxmlDocument } from './wbxml/encode-wbxml.js';
import { messageFromElement } from '../syncml/from-element.js';
import { messageToDocument } from '../syncml/to-element.js';
import type { SyncMLMessage } from '../syncml/message.js';

/** The two DM message encodings. */
export type Encoding = 'xml' | 'wbxml';

/** Parses an XML DM message (text, or bytes in UTF-8/UTF-16/declared Latin-1). */
export function decodeXml(input: string | Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS): SyncMLMessage {
  const doc = typeof input === 'string' ? decodeXmlDocument(input, limits) : decodeXmlBytes(input, limits);
  return messageFromElement(doc.root);
}

/** Serializes a message as compact XML (no declaration, as DM clients send it). */
export function encodeXml(msg: SyncMLMessage, options: { indent?: string } = {}): string {
  const doc = messageToDocument(msg, { binary: 'base64' });
  return encodeXmlDocument(doc, {
    rootNamespace: msg.header.verDtd === '1.1' ? 'SYNCML:SYNCML1.1' : 'SYNCML:SYNCML1.2',
    ...(options.indent !== undefined ? { indent: options.indent } : {}),
  });
}

/** Parses a WBXML DM message. */
export function decodeWbxml(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS): SyncMLMessage {
  return messageFromElement(decodeWbxmlDocument(bytes, limits).root);
}

/** Serializes a message as WBXML 1.2 with a numeric public id and no string table (what DM clients send). */
export function encodeWbxml(msg: SyncMLMessage): Uint8Array {
  return encodeWbxmlDocument(messageToDocument(msg, { binary: 'bytes' }));
}

/**
 * Tells XML from WBXML by the first bytes: XML starts with `<`, a BOM or whitespace;
 * WBXML starts with a version byte 0x00–0x03.
 */
export function detectEncoding(bytes: Uint8Array): Encoding {
  const b = bytes[0];
  if (b === undefined) throw new CodecError(ErrorCode.ERR_UNKNOWN_ENCODING, 'empty message', { offset: 0 });
  if (b <= 0x03) return 'wbxml';
  if (b === 0x3c || b === 0xef || b === 0xfe || b === 0xff || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) return 'xml';
  throw new CodecError(ErrorCode.ERR_UNKNOWN_ENCODING, `neither XML nor WBXML (first byte 0x${b.toString(16).padStart(2, '0')})`, { offset: 0 });
}

/**
 * Maps a Content-Type header to an encoding. Accepts the DM types and the Data Sync types
 * some clients post with (`application/vnd.syncml+xml`); parameters are ignored.
 */
export function encodingFromContentType(contentType: string | undefined): Encoding | undefined {
  if (!contentType) return undefined;
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  if (base === MediaType.DM_XML || base === MediaType.DS_XML) return 'xml';
  if (base === MediaType.DM_WBXML || base === MediaType.DS_WBXML) return 'wbxml';
  return undefined;
}

/** The Content-Type to answer with for an encoding. */
export function contentTypeFor(encoding: Encoding): string {
  return encoding === 'xml' ? MediaType.DM_XML : MediaType.DM_WBXML;
}

/** Decodes a message in the given encoding, or the one its bytes show. */
export function decodeMessage(
  bytes: Uint8Array,
  options: { encoding?: Encoding; limits?: DecodeLimits } = {},
): { message: SyncMLMessage; encoding: Encoding } {
  const encoding = options.encoding ?? detectEncoding(bytes);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const message = encoding === 'xml' ? decodeXml(bytes, limits) : decodeWbxml(bytes, limits);
  return { message, encoding };
}

/** Encodes a message to bytes in the given encoding. */
export function encodeMessage(msg: SyncMLMessage, encoding: Encoding): Uint8Array {
  return encoding === 'xml' ? Buffer.from(encodeXml(msg), 'utf8') : encodeWbxml(msg);
}
