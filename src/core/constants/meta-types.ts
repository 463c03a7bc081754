/** MIME types and namespaces of OMA DM (OMA-TS-DM_RepPro, OMA-TS-DM_Notification). */
export const MediaType = {
  DM_XML: 'application/vnd.syncml.dm+xml',
  DM_WBXML: 'application/vnd.syncml.dm+wbxml',
  /** Data Sync types some DM clients post with. */
  DS_XML: 'application/vnd.syncml+xml',
  DS_WBXML: 'application/vnd.syncml+wbxml',
  NOTIFICATION: 'application/vnd.syncml.notification',
  TNDS_XML: 'application/vnd.syncml.dmtnds+xml',
  TNDS_WBXML: 'application/vnd.syncml.dmtnds+wbxml',
  DEVINF_XML: 'application/vnd.syncml-devinf+xml',
  DOWNLOAD_DESCRIPTOR: 'application/vnd.oma.dd+xml',
  CP_XML: 'text/vnd.wap.connectivity-xml',
  CP_WBXML: 'application/vnd.wap.connectivity-wbxml',
} as const;
/** One of the named media types. */
export type MediaType = (typeof MediaType)[keyof typeof MediaType];

/** XML namespaces that appear in DM messages. */
export const Namespace = {
  SYNCML_11: 'SYNCML:SYNCML1.1',
  SYNCML_12: 'SYNCML:SYNCML1.2',
  METINF: 'syncml:metinf',
  DMDDF_12: 'syncml:dmddf1.2',
  MSFT: 'https://schemas.microsoft.com/MobileDevice/DM',
} as const;
/** One of the named namespaces. */
export type Namespace = (typeof Namespace)[keyof typeof Namespace];

/** Authentication types carried in Cred / Chal Meta Type. */
export const AuthType = {
  BASIC: 'syncml:auth-basic',
  MD5: 'syncml:auth-md5',
  HMAC: 'syncml:auth-MAC',
  NONE: 'syncml:auth-none',
} as const;
/** One of the supported authentication types. */
export type AuthType = (typeof AuthType)[keyof typeof AuthType];

/** Meta Format values (OMA-TS-DM_RepPro, Format). */
export const Format = {
  B64: 'b64', BIN: 'bin', BOOL: 'bool', CHR: 'chr', INT: 'int', NODE: 'node', NULL: 'null',
  XML: 'xml', DATE: 'date', TIME: 'time', FLOAT: 'float',
} as const;
/** One of the named formats. */
export type Format = (typeof Format)[keyof typeof Format];
