/**
 * WBXML token tables of the OMA Client Provisioning document (`wap-provisioningdoc`), public id
 * 0x0B, `-//WAPFORUM//DTD PROV 1.0//EN` (WAP-183-ProvCont §7 and OMA-WAP-TS-ProvCont-V1_1 §7).
 * ProvCont 1.1 keeps that public id and adds code page 1 plus more page-0 tokens; its 2005
 * revision moved the AAUTHTYPE value tokens (`,` `HTTP-` `BASIC` `DIGEST`) to 0x90–0x93 of page 1,
 * because the first 1.1 draft put them on 0x80–0x83, which are global tokens (EXT_T_0..STR_T).
 *
 * The attribute tables are written once, as ordered lists: the order is the preference an encoder
 * follows when several tokens could express the same text (the order libwbxml uses, so that our
 * bytes equal `xml2wbxml`'s). The per-page maps the generic WBXML decoder reads are derived from
 * these lists in code below, never maintained by hand.
 */
import type { WbxmlAttrStart, WbxmlCodePage, WbxmlLanguage } from './code-pages.js';

/** One attribute-start token with its code page. */
export interface ProvAttrStartToken extends WbxmlAttrStart {
  /** Code page of the token. */
  readonly page: number;
  /** Token byte (0x05..0x7F). */
  readonly token: number;
}

/** One attribute-value token with its code page. */
export interface ProvAttrValueToken {
  /** Code page of the token. */
  readonly page: number;
  /** Token byte (0x85..0xFF). */
  readonly token: number;
  /** The text the token stands for. */
  readonly text: string;
}

/** The formal public identifier of PROV documents (both ProvCont 1.0 and 1.1 use it). */
export const PROV_XML_PUBLIC_ID = '-//WAPFORUM//DTD PROV 1.0//EN';
/** The numeric WBXML public id of PROV documents (OMNA registry, 0x0B). */
export const PROV_WBXML_PUBLIC_ID = 0x0b;

const start = (page: number, token: number, name: string, value?: string): ProvAttrStartToken =>
  value === undefined ? { page, token, name } : { page, token, name, value };

/** `name="…"` attribute starts of page 0, token order (ProvCont §7.2.2). */
const PAGE0_PARM_NAMES: readonly (readonly [number, string])[] = [
  [0x07, 'NAME'], [0x08, 'NAP-ADDRESS'], [0x09, 'NAP-ADDRTYPE'], [0x0a, 'CALLTYPE'],
  [0x0b, 'VALIDUNTIL'], [0x0c, 'AUTHTYPE'], [0x0d, 'AUTHNAME'], [0x0e, 'AUTHSECRET'],
  [0x0f, 'LINGER'], [0x10, 'BEARER'], [0x11, 'NAPID'], [0x12, 'COUNTRY'], [0x13, 'NETWORK'],
  [0x14, 'INTERNET'], [0x15, 'PROXY-ID'], [0x16, 'PROXY-PROVIDER-ID'], [0x17, 'DOMAIN'],
  [0x18, 'PROVURL'], [0x19, 'PXAUTH-TYPE'], [0x1a, 'PXAUTH-ID'], [0x1b, 'PXAUTH-PW'],
  [0x1c, 'STARTPAGE'], [0x1d, 'BASAUTH-ID'], [0x1e, 'BASAUTH-PW'], [0x1f, 'PUSHENABLED'],
  [0x20, 'PXADDR'], [0x21, 'PXADDRTYPE'], [0x22, 'TO-NAPID'], [0x23, 'PORTNBR'],
  [0x24, 'SERVICE'], [0x25, 'LINKSPEED'], [0x26, 'DNLINKSPEED'], [0x27, 'LOCAL-ADDR'],
  [0x28, 'LOCAL-ADDRTYPE'], [0x29, 'CONTEXT-ALLOW'], [0x2a, 'TRUST'], [0x2b, 'MASTER'],
  [0x2c, 'SID'], [0x2d, 'SOC'], [0x2e, 'WSP-VERSION'], [0x2f, 'PHYSICAL-PROXY-ID'],
  [0x30, 'CLIENT-ID'], [0x31, 'DELIVERY-ERR-SDU'], [0x32, 'DELIVERY-ORDER'],
  [0x33, 'TRAFFIC-CLASS'], [0x34, 'MAX-SDU-SIZE'], [0x35, 'MAX-BITRATE-UPLINK'],
  [0x36, 'MAX-BITRATE-DNLINK'], [0x37, 'RESIDUAL-BER'], [0x38, 'SDU-ERROR-RATIO'],
  [0x39, 'TRAFFIC-HANDL-PRIO'], [0x3a, 'TRANSFER-DELAY'], [0x3b, 'GUARANTEED-BITRATE-UPLINK'],
  [0x3c, 'GUARANTEED-BITRATE-DNLINK'], [0x3d, 'PXADDR-FQDN'], [0x3e, 'PROXY-PW'],
  [0x3f, 'PPGAUTH-TYPE'], [0x47, 'PULLENABLED'], [0x48, 'DNS-ADDR'], [0x49, 'MAX-NUM-RETRY'],
  [0x4a, 'FIRST-RETRY-TIMEOUT'], [0x4b, 'REREG-THRESHOLD'], [0x4c, 'T-BIT'],
  [0x4e, 'AUTH-ENTITY'], [0x4f, 'SPI'],
];

/** `name="…"` attribute starts of page 1 (ProvCont 1.1 §7.2.3, the APPLICATION parms). */
const PAGE1_PARM_NAMES: readonly (readonly [number, string])[] = [
  [0x07, 'NAME'], [0x14, 'INTERNET'], [0x1c, 'STARTPAGE'], [0x22, 'TO-NAPID'], [0x23, 'PORTNBR'],
  [0x24, 'SERVICE'], [0x2e, 'AACCEPT'], [0x2f, 'AAUTHDATA'], [0x30, 'AAUTHLEVEL'],
  [0x31, 'AAUTHNAME'], [0x32, 'AAUTHSECRET'], [0x33, 'AAUTHTYPE'], [0x34, 'ADDR'],
  [0x35, 'ADDRTYPE'], [0x36, 'APPID'], [0x37, 'APROTOCOL'], [0x38, 'PROVIDER-ID'],
  [0x39, 'TO-PROXY'], [0x3a, 'URI'], [0x3b, 'RULE'],
];

/**
 * Every attribute-start token, in encoder preference order: for equal matches the first wins, so
 * page 0 is preferred where a name exists on both pages (as libwbxml does).
 */
export const PROV_ATTR_STARTS: readonly ProvAttrStartToken[] = [
  start(0, 0x45, 'version'),
  start(0, 0x46, 'version', '1.0'),
  start(0, 0x50, 'type'),
  ...(
    [
      [0x51, 'PXLOGICAL'], [0x52, 'PXPHYSICAL'], [0x53, 'PORT'], [0x54, 'VALIDITY'], [0x55, 'NAPDEF'],
      [0x56, 'BOOTSTRAP'], [0x57, 'VENDORCONFIG'], [0x58, 'CLIENTIDENTITY'], [0x59, 'PXAUTHINFO'],
      [0x5a, 'NAPAUTHINFO'], [0x5b, 'ACCESS'],
    ] as const
  ).map(([t, v]) => start(0, t, 'type', v)),
  start(1, 0x50, 'type'),
  ...(
    [[0x53, 'PORT'], [0x58, 'CLIENTIDENTITY'], [0x55, 'APPLICATION'], [0x56, 'APPADDR'], [0x57, 'APPAUTH'], [0x59, 'RESOURCE']] as const
  ).map(([t, v]) => start(1, t, 'type', v)),
  start(0, 0x05, 'name'),
  start(0, 0x06, 'value'),
  ...PAGE0_PARM_NAMES.map(([t, v]) => start(0, t, 'name', v)),
  start(1, 0x05, 'name'),
  start(1, 0x06, 'value'),
  ...PAGE1_PARM_NAMES.map(([t, v]) => start(1, t, 'name', v)),
];

const values = (page: number, list: readonly (readonly [number, string])[]): ProvAttrValueToken[] =>
  list.map(([token, text]) => ({ page, token, text }));

/**
 * Every attribute-value token, in encoder preference order (an encoder replaces the first listed
 * text first, so a longer token that contains a shorter one must come before it: `HTTP-BASIC`
 * before `BASIC`). Spellings follow ProvCont (`TETRA-SDS`, `CDMA2000-1X-…`).
 */
export const PROV_ATTR_VALUES: readonly ProvAttrValueToken[] = [
  // ADDRTYPE (§7.3.1)
  ...values(0, [[0x85, 'IPV4'], [0x86, 'IPV6'], [0x87, 'E164'], [0x88, 'ALPHA'], [0x89, 'APN'], [0x8a, 'SCODE'], [0x8b, 'TETRA-ITSI'], [0x8c, 'MAN']]),
  ...values(1, [[0x86, 'IPV6'], [0x87, 'E164'], [0x88, 'ALPHA'], [0x8d, 'APPSRV'], [0x8e, 'OBEX']]),
  // CALLTYPE
  ...values(0, [[0x90, 'ANALOG-MODEM'], [0x91, 'V.120'], [0x92, 'V.110'], [0x93, 'X.31'], [0x94, 'BIT-TRANSPARENT'], [0x95, 'DIRECT-ASYNCHRONOUS-DATA-SERVICE']]),
  // AUTHTYPE / PXAUTH-TYPE
  ...values(0, [[0x9a, 'PAP'], [0x9b, 'CHAP'], [0x9c, 'HTTP-BASIC'], [0x9d, 'HTTP-DIGEST'], [0x9e, 'WTLS-SS'], [0x9f, 'MD5']]),
  // BEARER
  ...values(0, [
    [0xa2, 'GSM-USSD'], [0xa3, 'GSM-SMS'], [0xa4, 'ANSI-136-GUTS'], [0xa5, 'IS-95-CDMA-SMS'], [0xa6, 'IS-95-CDMA-CSD'],
    [0xa7, 'IS-95-CDMA-PACKET'], [0xa8, 'ANSI-136-CSD'], [0xa9, 'ANSI-136-GPRS'], [0xaa, 'GSM-CSD'], [0xab, 'GSM-GPRS'],
    [0xac, 'AMPS-CDPD'], [0xad, 'PDC-CSD'], [0xae, 'PDC-PACKET'], [0xaf, 'IDEN-SMS'], [0xb0, 'IDEN-CSD'], [0xb1, 'IDEN-PACKET'],
    [0xb2, 'FLEX/REFLEX'], [0xb3, 'PHS-SMS'], [0xb4, 'PHS-CSD'], [0xb5, 'TETRA-SDS'], [0xb6, 'TETRA-PACKET'],
    [0xb7, 'ANSI-136-GHOST'], [0xb8, 'MOBITEX-MPAK'], [0xb9, 'CDMA2000-1X-SIMPLE-IP'], [0xba, 'CDMA2000-1X-MOBILE-IP'],
  ]),
  // LINKSPEED
  ...values(0, [[0xc5, 'AUTOBAUDING']]),
  // SERVICE
  ...values(0, [
    [0xca, 'CL-WSP'], [0xcb, 'CO-WSP'], [0xcc, 'CL-SEC-WSP'], [0xcd, 'CO-SEC-WSP'], [0xce, 'CL-SEC-WTA'], [0xcf, 'CO-SEC-WTA'],
    [0xd0, 'OTA-HTTP-TO'], [0xd1, 'OTA-HTTP-TLS-TO'], [0xd2, 'OTA-HTTP-PO'], [0xd3, 'OTA-HTTP-TLS-PO'],
  ]),
  // AAUTHTYPE (ProvCont 1.1, 2005 revision)
  ...values(1, [[0x90, ','], [0x91, 'HTTP-'], [0x92, 'BASIC'], [0x93, 'DIGEST']]),
  // AUTH-ENTITY
  ...values(0, [[0xe0, 'AAA'], [0xe1, 'HA']]),
];

/**
 * Tokens a decoder also accepts but an encoder never writes: some tables (Wireshark's) place the
 * AUTH-ENTITY values on page 1.
 */
const DECODE_ONLY_VALUES: readonly ProvAttrValueToken[] = values(1, [[0xe0, 'AAA'], [0xe1, 'HA']]);

/** Tags of both pages (§7.1); ProvCont 1.1 repeats characteristic and parm on page 1. */
const TAGS_PAGE0 = { 0x05: 'wap-provisioningdoc', 0x06: 'characteristic', 0x07: 'parm' } as const;
const TAGS_PAGE1 = { 0x06: 'characteristic', 0x07: 'parm' } as const;

function pageOf(page: number, tags: Readonly<Record<number, string>>): WbxmlCodePage {
  const attrStarts: Record<number, WbxmlAttrStart> = {};
  for (const a of PROV_ATTR_STARTS) {
    if (a.page === page) attrStarts[a.token] = a.value === undefined ? { name: a.name } : { name: a.name, value: a.value };
  }
  const attrValues: Record<number, string> = {};
  for (const v of [...PROV_ATTR_VALUES, ...DECODE_ONLY_VALUES]) {
    if (v.page === page && attrValues[v.token] === undefined) attrValues[v.token] = v.text;
  }
  // Both pages hold elements of the document's only (empty) namespace.
  return { page, namespace: undefined, tags, attrStarts, attrValues };
}

/** The PROV document language (public id 0x0B), both code pages. */
export const PROV_10: WbxmlLanguage = {
  name: 'PROV 1.0/1.1',
  publicIds: [PROV_WBXML_PUBLIC_ID],
  xmlPublicId: PROV_XML_PUBLIC_ID,
  rootName: 'wap-provisioningdoc',
  pages: [pageOf(0, TAGS_PAGE0), pageOf(1, TAGS_PAGE1)],
};
