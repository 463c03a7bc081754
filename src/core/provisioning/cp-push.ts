/**
 * Provisioning documents in a WAP push (OMA-WAP-TS-ProvBoot-V1_1 §5; reference §1.12, §2.6):
 * content type application/vnd.wap.connectivity-wbxml (WSP 0x36) or text/vnd.wap.connectivity-xml
 * (0x35), the SEC and MAC content-type parameters, and the Microsoft `X-MS-DESC` header whose
 * text a Windows Mobile device shows in its PIN prompt. Framing is wap-push.ts's; this module only
 * decides what goes into it.
 */
import { CodecError, ErrorCode } from '../errors.js';
import { MediaType } from '../constants/meta-types.js';
import { decodeWapPush, encodeWapPush, SecMethod, WspContentType, type WspHeader } from '../notification/wap-push.js';
import type { CpDocument } from './cp-document.js';
import { createCpMac, secMethodName, type CpMacSecrets, type CpSecMethod } from './cp-security.js';
import { encodeCpWbxml, type CpWbxmlEncodeOptions } from './cp-wbxml.js';
import { encodeCpXml } from './cp-xml.js';

/** The Microsoft push header carrying the text of the PIN prompt. */
export const X_MS_DESC = 'X-MS-DESC';
/** The Windows Mobile configuration-manager push application id (reference §1.12). */
export const WM_CFGMGR_APP_ID = 'x-wap-microsoft:cfgmgr.ua';

/** Options of {@link encodeCpPush}. */
export interface EncodeCpPushOptions {
  /** The document bytes as they will be signed and sent. */
  readonly body: Uint8Array;
  /** `wbxml` (content type 0x36, default) or `xml` (0x35). */
  readonly format?: 'wbxml' | 'xml';
  /** SEC method; with `mac` it authenticates the document. */
  readonly sec?: CpSecMethod;
  /** MAC: 40 hex digits. */
  readonly mac?: string;
  /** X-MS-DESC text (Windows Mobile shows it in the PIN prompt). */
  readonly description?: string;
  /** X-WAP-Application-ID, e.g. {@link WM_CFGMGR_APP_ID}; absent = routed by content type. */
  readonly applicationId?: number | string;
  /** WSP transaction id (default 0). */
  readonly transactionId?: number;
}

/** A decoded provisioning push. */
export interface DecodedCpPush {
  readonly format: 'wbxml' | 'xml';
  /** The document bytes (what the MAC covers). */
  readonly body: Uint8Array;
  /** SEC as a method name, or the raw value when it is not one of the four. */
  readonly sec?: CpSecMethod | number | string;
  readonly mac?: string;
  readonly description?: string;
  readonly applicationId?: number | string;
  readonly transactionId: number;
}

/** Builds the WSP push PDU of a provisioning document. */
export function encodeCpPush(options: EncodeCpPushOptions): Uint8Array {
  const headers: WspHeader[] = options.description === undefined ? [] : [{ name: X_MS_DESC, value: options.description }];
  const params = {
    ...(options.sec === undefined ? {} : { SEC: SecMethod[options.sec] }),
    ...(options.mac === undefined ? {} : { MAC: options.mac }),
  };
  return encodeWapPush({
    contentType: options.format === 'xml' ? WspContentType.CP_XML : WspContentType.CP_WBXML,
    ...(Object.keys(params).length > 0 ? { contentTypeParams: params } : {}),
    ...(options.applicationId === undefined ? {} : { applicationId: options.applicationId }),
    ...(options.transactionId === undefined ? {} : { transactionId: options.transactionId }),
    headers,
    body: options.body,
  });
}

/** True when a content type (WSP code or text) is a provisioning document. */
export function isCpContentType(contentType: number | string): boolean {
  if (typeof contentType === 'number') return contentType === WspContentType.CP_WBXML || contentType === WspContentType.CP_XML;
  const t = contentType.trim().toLowerCase();
  return t === MediaType.CP_WBXML || t === MediaType.CP_XML;
}

/**
 * Parses a provisioning push.
 *
 * @throws CodecError ERR_WAP_PUSH_MALFORMED for a bad PDU, ERR_CP_INVALID when the content type
 *   is not a provisioning document.
 */
export function decodeCpPush(bytes: Uint8Array): DecodedCpPush {
  const push = decodeWapPush(bytes);
  if (!isCpContentType(push.contentType)) {
    throw new CodecError(ErrorCode.ERR_CP_INVALID, `push content type ${String(push.contentType)} is not a provisioning document (0x35/0x36)`);
  }
  const format = push.contentType === WspContentType.CP_XML || (typeof push.contentType === 'string' && push.contentType.toLowerCase().includes('xml') && !push.contentType.toLowerCase().includes('wbxml')) ? 'xml' : 'wbxml';
  const rawSec = push.contentTypeParams.SEC;
  const sec = rawSec === undefined ? undefined : (secMethodName(rawSec) ?? rawSec);
  const mac = push.contentTypeParams.MAC;
  const description = push.headers.find((h) => h.name.toUpperCase() === X_MS_DESC)?.value;
  return {
    format,
    body: push.body,
    transactionId: push.transactionId,
    ...(sec === undefined ? {} : { sec }),
    ...(typeof mac === 'string' ? { mac } : {}),
    ...(description === undefined ? {} : { description }),
    ...(push.applicationId === undefined ? {} : { applicationId: push.applicationId }),
  };
}

/** Options of {@link buildSignedCpPush}. */
export interface SignedCpPushOptions {
  readonly document: CpDocument;
  /** `wbxml` (default) or `xml`. */
  readonly format?: 'wbxml' | 'xml';
  /** WBXML options (string table, version). */
  readonly wbxml?: CpWbxmlEncodeOptions;
  /** Method and secrets; absent = an unsigned push. */
  readonly security?: CpMacSecrets;
  readonly description?: string;
  readonly applicationId?: number | string;
  readonly transactionId?: number;
}

/** Encodes a document, signs it (when `security` is given) and frames it: the PDU, the body and the MAC. */
export function buildSignedCpPush(options: SignedCpPushOptions): { readonly push: Uint8Array; readonly body: Uint8Array; readonly mac?: string } {
  const format = options.format ?? 'wbxml';
  const body = format === 'xml'
    ? new Uint8Array(Buffer.from(encodeCpXml(options.document), 'utf8'))
    : encodeCpWbxml(options.document, options.wbxml);
  const sec = options.security === undefined ? undefined : secMethodName(options.security.sec);
  const mac = options.security === undefined ? undefined : createCpMac({ ...options.security, document: body });
  const push = encodeCpPush({
    body, format,
    ...(sec === undefined ? {} : { sec }),
    ...(mac === undefined ? {} : { mac }),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.applicationId === undefined ? {} : { applicationId: options.applicationId }),
    ...(options.transactionId === undefined ? {} : { transactionId: options.transactionId }),
  });
  return mac === undefined ? { push, body } : { push, body, mac };
}
