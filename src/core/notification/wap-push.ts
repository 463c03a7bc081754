/**
 * WAP Push over SMS for Package 0 and Client Provisioning:
 * - the connectionless WSP Push PDU (WAP-230-WSP §8.2.4.1): TID, PDU type 0x06, uintvar
 *   HeadersLen, Content-Type, headers, body;
 * - the WDP-over-SMS user data header (3GPP TS 23.040 §9.2.3.24): 16-bit application ports
 *   (IEI 0x05; push port 2948 = 0x0B84, WSP source port 9200 = 0x23F0) and concatenation
 *   (IEI 0x00, 8-bit reference).
 * Package 0 is Content-Type 0x44 (application/vnd.syncml.notification) with X-WAP-Application-ID
 * 0x07 (x-wap-application:syncml.dm) (OMA-TS-DM_Notification §6.2; OMA DM reference §2.6).
 */
import { concatBytes } from '../auth/bytes.js';
import {
  encodeIntegerValue,
  encodeShortInteger,
  encodeTextString,
  encodeUintvar,
  encodeValueLength,
  hex,
  WspReader,
  wspError,
} from './wsp.js';

/** WSP PDU type of a Push (§8.2.1, Table 34). */
export const PDU_TYPE_PUSH = 0x06;
/** Well-known header field code of X-WAP-Application-ID (WSP 1.2+, Table 39); encoded as 0xAF. */
export const HEADER_X_WAP_APPLICATION_ID = 0x2f;
/** Well-known content-type parameter tokens (Table 38; SEC/MAC from OMA ProvCont). */
export const WspParam = { SEC: 0x11, MAC: 0x12 } as const;
/** SEC parameter values (OMA-WAP-TS-ProvCont §4.3). */
export const SecMethod = { NETWPIN: 0, USERPIN: 1, USERNETWPIN: 2, USERPINMAC: 3 } as const;
/** Well-known WSP content-type codes used by OMA DM / CP. */
export const WspContentType = {
  CP_XML: 0x35,
  CP_WBXML: 0x36,
  DM_WBXML: 0x42,
  DM_XML: 0x43,
  SYNCML_NOTIFICATION: 0x44,
} as const;
/** Well-known push application ids (WINA registry). */
export const PushApplicationId = { PUSH_SYNCML: 0x05, SYNCML_DM: 0x07 } as const;
/** WDP destination port of connectionless WAP Push. */
export const WAP_PUSH_PORT = 2948;
/** WDP source port of connectionless WSP. */
export const WSP_SOURCE_PORT = 9200;

/** Content-type parameters; SEC and MAC are typed, others are kept under their name or `0xNN` code. */
export interface WspContentTypeParams {
  readonly SEC?: number | string;
  readonly MAC?: string;
  readonly [name: string]: number | string | undefined;
}

/** A textual (application) header. */
export interface WspHeader {
  readonly name: string;
  readonly value: string;
}

/** A binary-encoded well-known header other than X-WAP-Application-ID, value kept raw. */
export interface WspWellKnownHeader {
  readonly code: number;
  readonly value: Uint8Array;
}

/** Options of {@link encodeWapPush}. */
export interface EncodeWapPushOptions {
  /** Well-known code (0x44 for Package 0) or a media type string. */
  readonly contentType: number | string;
  /** Push application id: well-known code (0x07 = syncml.dm) or URI string. */
  readonly applicationId?: number | string;
  /** Textual headers sent as Application-headers, e.g. X-MS-DESC. */
  readonly headers?: readonly WspHeader[];
  readonly contentTypeParams?: { readonly SEC?: number | string; readonly MAC?: string };
  /** Transaction id octet; default 0. */
  readonly transactionId?: number;
  readonly body: Uint8Array;
}

/** A decoded push PDU. */
export interface DecodedWapPush {
  readonly transactionId: number;
  readonly contentType: number | string;
  readonly contentTypeParams: WspContentTypeParams;
  readonly applicationId?: number | string;
  readonly headers: readonly WspHeader[];
  readonly wellKnownHeaders: readonly WspWellKnownHeader[];
  readonly body: Uint8Array;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function cat(parts: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...parts);
}

function encodeContentType(ct: number | string, params: EncodeWapPushOptions['contentTypeParams']): Uint8Array {
  const encodedParams: Uint8Array[] = [];
  if (params?.SEC !== undefined) {
    let sec = params.SEC;
    if (typeof sec === 'string' && sec in SecMethod) sec = SecMethod[sec as keyof typeof SecMethod];
    // SEC is a Short-integer (ProvCont §4.3); an unknown name goes as Token-text.
    encodedParams.push(encodeShortInteger(WspParam.SEC), typeof sec === 'number' ? encodeShortInteger(sec) : tokenText(sec));
  }
  if (params?.MAC !== undefined) {
    // MAC is a Text-value: the hex HMAC as Token-text.
    encodedParams.push(encodeShortInteger(WspParam.MAC), tokenText(params.MAC));
  }
  const media = typeof ct === 'number' ? encodeIntegerValue(ct) : mediaText(ct);
  // Constrained-media (a lone Short-integer or Extension-media) when there is nothing else;
  // otherwise Content-general-form = Value-length Media-type *(Parameter) (§8.4.2.24).
  if (encodedParams.length === 0 && (typeof ct === 'string' || ct <= 127)) return media;
  const body = cat([media, ...encodedParams]);
  return cat([encodeValueLength(body.byteLength), body]);
}

function mediaText(ct: string): Uint8Array {
  if (!/^[\x21-\x7e]+$/.test(ct)) throw wspError(`content type "${ct}" is not a printable ASCII media type`);
  return encodeTextString(ct);
}

function tokenText(text: string): Uint8Array {
  if (!/^[\x21-\x7e]+$/.test(text) || text.startsWith('"')) throw wspError(`"${text}" is not a WSP token`);
  return encodeTextString(text);
}

/** Builds a connectionless WSP Push PDU. Throws `CodecError(ERR_WAP_PUSH_MALFORMED)` on unencodable input. */
export function encodeWapPush(opts: EncodeWapPushOptions): Uint8Array {
  const tid = opts.transactionId ?? 0;
  if (!Number.isInteger(tid) || tid < 0 || tid > 255) throw wspError(`transaction id ${tid} is not an octet`);
  const parts: Uint8Array[] = [encodeContentType(opts.contentType, opts.contentTypeParams)];
  if (opts.applicationId !== undefined) {
    const id = opts.applicationId;
    parts.push(encodeShortInteger(HEADER_X_WAP_APPLICATION_ID), typeof id === 'number' ? encodeIntegerValue(id) : tokenText(id));
  }
  for (const h of opts.headers ?? []) {
    if (!TOKEN.test(h.name)) throw wspError(`header name "${h.name}" is not a token`);
    // Application-header = Token-text Application-specific-value (Text-string) (§8.4.2.6).
    parts.push(encodeTextString(h.name), encodeTextString(h.value));
  }
  const headers = cat(parts);
  return cat([Uint8Array.of(tid, PDU_TYPE_PUSH), encodeUintvar(headers.byteLength), headers, opts.body]);
}

const PARAM_NAMES: Readonly<Record<number, string>> = { 0x01: 'charset', [WspParam.SEC]: 'SEC', [WspParam.MAC]: 'MAC' };

function readContentType(r: WspReader): { contentType: number | string; params: Record<string, number | string> } {
  const params: Record<string, number | string> = {};
  const first = r.peek('Content-Type');
  if (first >= 0x80) return { contentType: r.octet('Content-Type') & 0x7f, params };
  if (first >= 0x20) return { contentType: r.textString('Content-Type'), params };
  const len = r.valueLength('Content-Type length');
  const v = r.sub(len, 'Content-Type');
  const m = v.peek('media type');
  const contentType = m >= 0x80 || m <= 30 ? v.integerValue('media type') : v.textString('media type');
  while (v.remaining > 0) {
    const at = v.offset;
    const t = v.peek('parameter');
    let name: string;
    if (t >= 0x80 || t <= 30) {
      const code = v.integerValue('parameter token');
      name = PARAM_NAMES[code] ?? `0x${hex(code)}`;
    } else {
      name = v.textString('parameter name');
    }
    if (name === '') throw wspError('empty parameter name', at);
    params[name] = readParamValue(v);
  }
  return { contentType, params };
}

/** Typed/Untyped value: Integer-value, No-value (''), Quoted-string or Token-text. */
function readParamValue(v: WspReader): number | string {
  const b = v.peek('parameter value');
  if (b >= 0x80 || (b >= 1 && b <= 30)) return v.integerValue('parameter value');
  if (b === 0) {
    v.octet('No-value');
    return '';
  }
  if (b === 0x22) v.octet('quote'); // Quoted-string: the opening " is not part of the value
  return v.textString('parameter value');
}

/** Parses a connectionless WSP Push PDU. Throws `CodecError(ERR_WAP_PUSH_MALFORMED)` with the byte offset. */
export function decodeWapPush(bytes: Uint8Array): DecodedWapPush {
  const r = new WspReader(bytes);
  const transactionId = r.octet('transaction id');
  const pduAt = r.offset;
  const pdu = r.octet('PDU type');
  if (pdu !== PDU_TYPE_PUSH) throw wspError(`PDU type 0x${hex(pdu)} is not Push (0x06)`, pduAt);
  const headersLen = r.uintvar('HeadersLen');
  const h = r.sub(headersLen, 'headers');
  const { contentType, params } = readContentType(h);
  const headers: WspHeader[] = [];
  const wellKnownHeaders: WspWellKnownHeader[] = [];
  let applicationId: number | string | undefined;
  while (h.remaining > 0) {
    const at = h.offset;
    const b = h.peek('header');
    if (b >= 0x80) {
      h.octet('header field');
      const code = b & 0x7f;
      if (code === HEADER_X_WAP_APPLICATION_ID && applicationId === undefined) {
        const f = h.peek('X-WAP-Application-ID');
        applicationId = f >= 0x80 || f <= 30 ? h.integerValue('X-WAP-Application-ID') : h.textString('X-WAP-Application-ID');
      } else {
        wellKnownHeaders.push({ code, value: readWapValue(h) });
      }
    } else if (b > 0x20 && b < 0x7f) {
      headers.push({ name: h.textString('header name'), value: h.textString('header value') });
    } else {
      // 0x7F and 0x01..0x1F are code-page shifts (§8.4.2.6), which no push header needs.
      throw wspError(`header octet 0x${hex(b)} (code-page shift or invalid) is not supported`, at);
    }
  }
  return {
    transactionId,
    contentType,
    contentTypeParams: params,
    ...(applicationId === undefined ? {} : { applicationId }),
    headers,
    wellKnownHeaders,
    body: bytes.slice(r.offset),
  };
}

/** Raw octets of a well-known header value, delimited by the generic rules of §8.4.1.2. */
function readWapValue(h: WspReader): Uint8Array {
  const b = h.peek('header value');
  if (b >= 0x80) return h.take(1, 'header value');
  if (b >= 0x20) return h.cString('header value');
  const len = h.valueLength('header value length');
  return h.take(len, 'header value');
}

// ---------------------------------------------------------------------------------------------
// WDP over SMS: user data headers and concatenation (3GPP TS 23.040 §9.2.3.24).

/** IEI of 8-bit-reference concatenation. */
const IEI_CONCAT_8 = 0x00;
/** IEI of 8-bit application ports. */
const IEI_PORTS_8 = 0x04;
/** IEI of 16-bit application ports. */
const IEI_PORTS_16 = 0x05;
/** IEI of 16-bit-reference concatenation. */
const IEI_CONCAT_16 = 0x08;

function port16(p: number, what: string): [number, number] {
  if (!Number.isInteger(p) || p < 0 || p > 0xffff) throw wspError(`${what} ${p} is not a 16-bit port`);
  return [p >> 8, p & 0xff];
}

/**
 * The user data header for one WDP datagram in one SMS: UDHL, then IEI 0x05 (16-bit application
 * ports: destination, then originator). Defaults 2948 → from 9200: `06 05 04 0B 84 23 F0`.
 */
export function encodeWdpSmsUdh(opts: { destinationPort?: number; sourcePort?: number } = {}): Uint8Array {
  return Uint8Array.of(6, IEI_PORTS_16, 4, ...port16(opts.destinationPort ?? WAP_PUSH_PORT, 'destination port'),
    ...port16(opts.sourcePort ?? WSP_SOURCE_PORT, 'source port'));
}

/** Options of {@link segmentForSms}. */
export interface SegmentForSmsOptions {
  /** Concatenation reference (0..255), the same in every segment of one message. */
  readonly reference: number;
  /** Octets of TP-User-Data per SMS, UDH included; default 140 (8-bit data). */
  readonly maxUserData?: number;
  readonly destinationPort?: number;
  readonly sourcePort?: number;
}

/**
 * Splits a WDP payload (a push PDU) into SMS user data (UDH + data, for TP-UDHI=1). One SMS when it
 * fits after the 7-octet port UDH; otherwise each segment carries UDHL 11, the 16-bit port IE and
 * the concatenation IE `00 03 ref total seq`, leaving 128 data octets per SMS of 140.
 */
export function segmentForSms(payload: Uint8Array, opts: SegmentForSmsOptions): Uint8Array[] {
  const max = opts.maxUserData ?? 140;
  const { reference } = opts;
  if (!Number.isInteger(reference) || reference < 0 || reference > 255) throw wspError(`reference ${reference} is not 0..255`);
  if (!Number.isInteger(max) || max < 13 || max > 140) throw wspError(`maxUserData ${max} is not 13..140`);
  const ports = encodeWdpSmsUdh(opts);
  if (ports.byteLength + payload.byteLength <= max) return [cat([ports, payload])];
  const room = max - 12;
  const total = Math.ceil(payload.byteLength / room);
  if (total > 255) throw wspError(`payload needs ${total} segments, at most 255 are possible`);
  const out: Uint8Array[] = [];
  for (let seq = 1; seq <= total; seq++) {
    const udh = Uint8Array.of(11, ...ports.subarray(1), IEI_CONCAT_8, 3, reference, total, seq);
    out.push(cat([udh, payload.subarray((seq - 1) * room, seq * room)]));
  }
  return out;
}

/** What {@link reassembleSms} returns. */
export interface ReassembledSms {
  readonly payload: Uint8Array;
  readonly destinationPort?: number;
  readonly sourcePort?: number;
  /** Concatenation reference, when the message was segmented. */
  readonly reference?: number;
}

interface ParsedSegment {
  readonly data: Uint8Array;
  readonly ports?: readonly [number, number];
  readonly concat?: { readonly ref: number; readonly total: number; readonly seq: number };
}

function parseSegment(seg: Uint8Array, index: number): ParsedSegment {
  const what = `segment ${index + 1}`;
  const r = new WspReader(seg);
  const udhl = r.octet(`${what} UDHL`);
  const u = r.sub(udhl, `${what} UDH`);
  let ports: readonly [number, number] | undefined;
  let concat: ParsedSegment['concat'];
  while (u.remaining > 0) {
    const at = u.offset;
    const iei = u.octet(`${what} IEI`);
    const d = u.take(u.octet(`${what} IE length`), `${what} IE 0x${hex(iei)}`);
    const need = { [IEI_CONCAT_8]: 3, [IEI_PORTS_8]: 2, [IEI_PORTS_16]: 4, [IEI_CONCAT_16]: 4 }[iei];
    if (need !== undefined && d.byteLength !== need) {
      throw wspError(`${what}: IE 0x${hex(iei)} has length ${d.byteLength}, expected ${need}`, at);
    }
    const o = (i: number): number => d[i] ?? 0;
    if (iei === IEI_PORTS_16) ports = [(o(0) << 8) | o(1), (o(2) << 8) | o(3)];
    else if (iei === IEI_PORTS_8) ports = [o(0), o(1)];
    else if (iei === IEI_CONCAT_8) concat = { ref: o(0), total: o(1), seq: o(2) };
    else if (iei === IEI_CONCAT_16) concat = { ref: (o(0) << 8) | o(1), total: o(2), seq: o(3) };
    // Other IEs (e.g. special SMS indication) do not affect reassembly and are skipped.
  }
  if (concat !== undefined && (concat.total === 0 || concat.seq === 0 || concat.seq > concat.total)) {
    throw wspError(`${what}: concatenation says part ${concat.seq} of ${concat.total}`, 1);
  }
  return { data: seg.slice(r.offset), ...(ports ? { ports } : {}), ...(concat ? { concat } : {}) };
}

/**
 * Joins SMS user data (each starting with its UDH, in any order) back into the WDP payload.
 * Throws `CodecError(ERR_WAP_PUSH_MALFORMED)` for a bad UDH, mixed references, or missing or
 * duplicate parts.
 */
export function reassembleSms(segments: readonly Uint8Array[]): ReassembledSms {
  if (segments.length === 0) throw wspError('no SMS segments to reassemble');
  const parsed = segments.map(parseSegment);
  const first = parsed[0] as ParsedSegment;
  const portInfo = first.ports ? { destinationPort: first.ports[0], sourcePort: first.ports[1] } : {};
  if (first.concat === undefined) {
    if (parsed.length !== 1) throw wspError(`${parsed.length} segments but the first has no concatenation IE`);
    return { payload: first.data, ...portInfo };
  }
  const { ref, total } = first.concat;
  if (parsed.length !== total) throw wspError(`message has ${total} parts, ${parsed.length} given`);
  const bySeq: Uint8Array[] = new Array<Uint8Array>(total);
  parsed.forEach((p, i) => {
    const c = p.concat;
    if (c === undefined || c.ref !== ref || c.total !== total) {
      throw wspError(`segment ${i + 1} does not belong to message ref ${ref} of ${total} parts`);
    }
    if (bySeq[c.seq - 1] !== undefined) throw wspError(`segment ${i + 1} repeats part ${c.seq}`);
    bySeq[c.seq - 1] = p.data;
  });
  return { payload: cat(bySeq), ...portInfo, reference: ref };
}
