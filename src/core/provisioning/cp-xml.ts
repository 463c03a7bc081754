/**
 * Provisioning documents as XML (content type text/vnd.wap.connectivity-xml, WSP 0x35;
 * OMA-WAP-TS-ProvCont-V1_1 §5). Thin wrappers over the XML codec and the element mapping.
 */
import type { DecodeLimits } from '../codec/element.js';
import { decodeXmlBytes, decodeXmlDocument } from '../codec/xml/decode-xml.js';
import { encodeXmlDocument } from '../codec/xml/encode-xml.js';
import { cpFromElement, cpToElement, type CpDocument } from './cp-document.js';

/** Options of {@link encodeCpXml}. */
export interface CpXmlEncodeOptions {
  /** Write `<?xml version="1.0" encoding="UTF-8"?>` (default true). */
  readonly declaration?: boolean;
  /** Write the PROV DOCTYPE (default true: ProvCont documents name their DTD). */
  readonly doctype?: boolean;
  /** Indentation per level, e.g. `'  '` (default none: compact, what goes on the wire). */
  readonly indent?: string;
}

/** Encodes a provisioning document as XML text. */
export function encodeCpXml(doc: CpDocument, options: CpXmlEncodeOptions = {}): string {
  return encodeXmlDocument(cpToElement(doc), {
    declaration: options.declaration ?? true,
    doctype: options.doctype ?? true,
    ...(options.indent === undefined ? {} : { indent: options.indent }),
    rootNamespace: '',
  });
}

/**
 * Decodes an XML provisioning document from text or bytes (UTF-8 with or without BOM, or the
 * encoding the declaration names).
 *
 * @throws CodecError ERR_XML_* for malformed XML, ERR_CP_INVALID for a document that is not a
 *   well-structured `wap-provisioningdoc`.
 */
export function decodeCpXml(input: string | Uint8Array, limits: DecodeLimits = {}): CpDocument {
  const doc = typeof input === 'string' ? decodeXmlDocument(input, limits) : decodeXmlBytes(input, limits);
  return cpFromElement(doc);
}
