/**
 * WBXML code pages as data: for each document language, code page → tag token → element name.
 * Token values are facts from the SyncML RepPro / MetInf / DM DDF specifications as libwbxml
 * tabulates them (libwbxml src/wbxml_tables.c); the reverse (name → token) maps are derived in
 * wbxml-language.ts, never written here. A language that needs attribute tokens (OMA Client
 * Provisioning) adds `attrStarts` / `attrValues` to its pages; nothing else has to change.
 */
import { Namespace } from '../../constants/meta-types.js';
import { PROV_10 } from './prov-code-pages.js';

/** An attribute-start token: the attribute name, plus the start of its value when the token carries one. */
export interface WbxmlAttrStart {
  /** Attribute name. */
  readonly name: string;
  /** Value prefix the token stands for (`TYPE="ADDR"` style tokens), if any. */
  readonly value?: string;
}

/** One code page of a language (WBXML 1.3 §5.8.4.7: tag and attribute pages are numbered alike). */
export interface WbxmlCodePage {
  /** Code page number (SWITCH_PAGE operand). */
  readonly page: number;
  /**
   * Namespace URI of this page's elements in the element tree, or undefined for the
   * document's default namespace (the SyncML namespace on page 0).
   */
  readonly namespace: string | undefined;
  /** Tag token (0x05..0x3F, without the content/attribute flags) → element name. */
  readonly tags: Readonly<Record<number, string>>;
  /** Attribute-start token (0x05..0x7F) → attribute name and value prefix. */
  readonly attrStarts?: Readonly<Record<number, WbxmlAttrStart>>;
  /** Attribute-value token (0x85..0xFF) → value text. */
  readonly attrValues?: Readonly<Record<number, string>>;
}

/** A document type that has a WBXML token table. */
export interface WbxmlLanguage {
  /** Short name used in error messages (`SyncML 1.2`). */
  readonly name: string;
  /** Numeric WBXML public identifiers (first = the one an encoder writes); empty when none is assigned. */
  readonly publicIds: readonly number[];
  /** Formal public identifier of the XML DTD; also the string a literal public id carries. */
  readonly xmlPublicId: string;
  /** Name of the root element. */
  readonly rootName: string;
  /** Default XML namespace of the root element, if the language has one. */
  readonly xmlNamespace?: string;
  /** The code pages; an element's namespace selects its page. */
  readonly pages: readonly WbxmlCodePage[];
  /**
   * A superset language whose tables a decoder uses instead, for peers that label a message
   * with an older public id than its content (AOSP vectors: 1.1 id on a VerDTD 1.2 message).
   */
  readonly decodeWith?: WbxmlLanguage;
}

/** SyncML RepPro 1.1 page 0 (syncml_represent_v11 §7; 0x30 is reserved). */
const SYNCML_11_TAGS = {
  0x05: 'Add', 0x06: 'Alert', 0x07: 'Archive', 0x08: 'Atomic', 0x09: 'Chal', 0x0a: 'Cmd',
  0x0b: 'CmdID', 0x0c: 'CmdRef', 0x0d: 'Copy', 0x0e: 'Cred', 0x0f: 'Data', 0x10: 'Delete',
  0x11: 'Exec', 0x12: 'Final', 0x13: 'Get', 0x14: 'Item', 0x15: 'Lang', 0x16: 'LocName',
  0x17: 'LocURI', 0x18: 'Map', 0x19: 'MapItem', 0x1a: 'Meta', 0x1b: 'MsgID', 0x1c: 'MsgRef',
  0x1d: 'NoResp', 0x1e: 'NoResults', 0x1f: 'Put', 0x20: 'Replace', 0x21: 'RespURI',
  0x22: 'Results', 0x23: 'Search', 0x24: 'Sequence', 0x25: 'SessionID', 0x26: 'SftDel',
  0x27: 'Source', 0x28: 'SourceRef', 0x29: 'Status', 0x2a: 'Sync', 0x2b: 'SyncBody',
  0x2c: 'SyncHdr', 0x2d: 'SyncML', 0x2e: 'Target', 0x2f: 'TargetRef', 0x31: 'VerDTD',
  0x32: 'VerProto', 0x33: 'NumberOfChanges', 0x34: 'MoreData',
  // 1.2 token that libwbxml also accepts in 1.1 (Nokia DS clients send it).
  0x39: 'SourceParent',
} as const;

/** SyncML RepPro 1.2 page 0 adds these (OMA-TS-SyncML_RepPro-V1_2 §8). */
const SYNCML_12_TAGS = {
  ...SYNCML_11_TAGS,
  0x35: 'Field', 0x36: 'Filter', 0x37: 'Record', 0x38: 'FilterType', 0x39: 'SourceParent',
  0x3a: 'TargetParent', 0x3b: 'Move', 0x3c: 'Correlator',
} as const;

/** MetInf 1.1 page 1 (syncml_metinf_v11 §6). */
const METINF_11_TAGS = {
  0x05: 'Anchor', 0x06: 'EMI', 0x07: 'Format', 0x08: 'FreeID', 0x09: 'FreeMem', 0x0a: 'Last',
  0x0b: 'Mark', 0x0c: 'MaxMsgSize', 0x0d: 'Mem', 0x0e: 'MetInf', 0x0f: 'Next', 0x10: 'NextNonce',
  0x11: 'SharedMem', 0x12: 'Size', 0x13: 'Type', 0x14: 'Version', 0x15: 'MaxObjSize',
} as const;

/** MetInf 1.2 page 1 adds FieldLevel (OMA-TS-SyncML_MetaInfo-V1_2). */
const METINF_12_TAGS = { ...METINF_11_TAGS, 0x16: 'FieldLevel' } as const;

/** DM DDF 1.2 page 2 (OMA-TS-DM_TND-V1_2_1; libwbxml's page for TNDS MgmtTree). */
const DMDDF_12_TAGS = {
  0x05: 'AccessType', 0x06: 'ACL', 0x07: 'Add', 0x08: 'b64', 0x09: 'bin', 0x0a: 'bool',
  0x0b: 'chr', 0x0c: 'CaseSense', 0x0d: 'CIS', 0x0e: 'Copy', 0x0f: 'CS', 0x10: 'date',
  0x11: 'DDFName', 0x12: 'DefaultValue', 0x13: 'Delete', 0x14: 'Description', 0x15: 'DFFormat',
  0x16: 'DFProperties', 0x17: 'DFTitle', 0x18: 'DFType', 0x19: 'Dynamic', 0x1a: 'Exec',
  0x1b: 'float', 0x1c: 'Format', 0x1d: 'Get', 0x1e: 'int', 0x1f: 'Man', 0x20: 'MgmtTree',
  0x21: 'MIME', 0x22: 'Mod', 0x23: 'Name', 0x24: 'Node', 0x25: 'node', 0x26: 'NodeName',
  0x27: 'null', 0x28: 'Occurrence', 0x29: 'One', 0x2a: 'OneOrMore', 0x2b: 'OneOrN', 0x2c: 'Path',
  0x2d: 'Permanent', 0x2e: 'Replace', 0x2f: 'RTProperties', 0x30: 'Scope', 0x31: 'Size',
  0x32: 'time', 0x33: 'Title', 0x34: 'TStamp', 0x35: 'Type', 0x36: 'Value', 0x37: 'VerDTD',
  0x38: 'VerNo', 0x39: 'xml', 0x3a: 'ZeroOrMore', 0x3b: 'ZeroOrN', 0x3c: 'ZeroOrOne',
} as const;

const METINF_11_PAGE: WbxmlCodePage = { page: 1, namespace: Namespace.METINF, tags: METINF_11_TAGS };
const METINF_12_PAGE: WbxmlCodePage = { page: 1, namespace: Namespace.METINF, tags: METINF_12_TAGS };
const DMDDF_12_PAGE: WbxmlCodePage = { page: 2, namespace: Namespace.DMDDF_12, tags: DMDDF_12_TAGS };

/** SyncML 1.2, used by DM 1.2 (public id 0x1201), with the DM DDF page for inline TNDS. */
export const SYNCML_12: WbxmlLanguage = {
  name: 'SyncML 1.2',
  publicIds: [0x1201],
  xmlPublicId: '-//SYNCML//DTD SyncML 1.2//EN',
  rootName: 'SyncML',
  xmlNamespace: Namespace.SYNCML_12,
  pages: [{ page: 0, namespace: undefined, tags: SYNCML_12_TAGS }, METINF_12_PAGE, DMDDF_12_PAGE],
};

/** SyncML 1.0 (public id 0x0FD1); libwbxml encodes it with the 1.1 tables, and so do we. */
export const SYNCML_10: WbxmlLanguage = {
  name: 'SyncML 1.0',
  publicIds: [0x0fd1],
  xmlPublicId: '-//SYNCML//DTD SyncML 1.0//EN',
  rootName: 'SyncML',
  xmlNamespace: 'SYNCML:SYNCML1.0',
  pages: [{ page: 0, namespace: undefined, tags: SYNCML_11_TAGS }, METINF_11_PAGE],
  decodeWith: SYNCML_12,
};

/** SyncML 1.1, used by DM 1.1.2 (public id 0x0FD3). */
export const SYNCML_11: WbxmlLanguage = {
  name: 'SyncML 1.1',
  publicIds: [0x0fd3],
  xmlPublicId: '-//SYNCML//DTD SyncML 1.1//EN',
  rootName: 'SyncML',
  xmlNamespace: Namespace.SYNCML_11,
  pages: [{ page: 0, namespace: undefined, tags: SYNCML_11_TAGS }, METINF_11_PAGE],
  decodeWith: SYNCML_12,
};

/**
 * A standalone DM DDF 1.2 / TNDS document (root MgmtTree). No numeric public id is assigned,
 * so it travels with a literal public id, as libwbxml writes it inside Data.
 */
export const DMDDF_12: WbxmlLanguage = {
  name: 'DM DDF 1.2',
  publicIds: [],
  xmlPublicId: '-//OMA//DTD-DM-DDF 1.2//EN',
  rootName: 'MgmtTree',
  xmlNamespace: Namespace.DMDDF_12,
  pages: [DMDDF_12_PAGE],
};

/** Every language the WBXML codec knows, most preferred first for equal matches. */
export const WBXML_LANGUAGES: readonly WbxmlLanguage[] = [SYNCML_12, SYNCML_11, SYNCML_10, DMDDF_12, PROV_10];
