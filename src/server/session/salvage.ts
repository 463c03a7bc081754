/**
 * Answers a message that could not be decoded. When its SyncHdr is still readable the device
 * gets a proper SyncML reply (SyncHdr Status 400, OMA-TS-DM_Protocol §8: malformed → 400);
 * otherwise the HTTP layer answers 400 with a short text.
 */
import type { Encoding } from '../../core/codec/message-codec.js';
import { isElement, type DmElement } from '../../core/codec/element.js';
import { decodeXmlBytes } from '../../core/codec/xml/decode-xml.js';
import { decodeWbxmlDocument } from '../../core/codec/wbxml/decode-wbxml.js';
import { messageFromElement } from '../../core/syncml/from-element.js';
import type { SyncHdr } from '../../core/syncml/message.js';

/**
 * The SyncHdr of a message whose body could not be mapped, or `undefined` when the document
 * itself is unreadable or has no usable header (VerDTD, MsgID, Source, Target).
 */
export function salvageHeader(bytes: Uint8Array, encoding: Encoding): SyncHdr | undefined {
  try {
    const doc = encoding === 'xml' ? decodeXmlBytes(bytes) : decodeWbxmlDocument(bytes);
    const hdr = doc.root.children.find((c): c is DmElement => isElement(c) && c.name === 'SyncHdr');
    if (!hdr || doc.root.name !== 'SyncML') return undefined;
    const header = messageFromElement({ name: 'SyncML', children: [hdr, { name: 'SyncBody', children: [] }] }).header;
    if (header.source.locUri === '' || header.target.locUri === '') return undefined;
    return header;
  } catch {
    return undefined;
  }
}
