/**
 * OMA Download Descriptor 1.0 (`application/vnd.oma.dd+xml`, OMA Download OTA 1.0 §5): a small
 * XML document a FUMO PkgURL may point at instead of the package. It names the object's URI,
 * size and type, and where to POST the install status report. The server of this project adds
 * the package's SHA-256 in an extension element (docs/reference/fumo.md, "Download descriptor").
 */
import { decodeXmlBytes, decodeXmlDocument } from '../../core/codec/xml/decode-xml.js';
import { type DmElement, isElement, textOf } from '../../core/codec/element.js';
import { MediaType } from '../../core/constants/meta-types.js';
import { CodecError, ErrorCode } from '../../core/errors.js';

/** What a download descriptor says about its media object. */
export interface DownloadDescriptor {
  /** Absolute URI of the object (resolved against the descriptor's own URL when relative). */
  readonly objectUri: string;
  /** Size of the object in bytes. */
  readonly size: number;
  /** MIME types of the object (DD 1.0 allows several `type` elements). */
  readonly types: readonly string[];
  readonly ddVersion?: string;
  readonly name?: string;
  readonly vendor?: string;
  readonly description?: string;
  /** Where to POST the install status report (`900 Success`, ...). */
  readonly installNotifyUri?: string;
  readonly nextUrl?: string;
  readonly infoUrl?: string;
  readonly iconUri?: string;
  readonly installParam?: string;
  /** Lower-case hex SHA-256 of the object (extension element `sha256`, any namespace). */
  readonly sha256?: string;
}

/** True when a Content-Type names a download descriptor. */
export function isDownloadDescriptorType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === MediaType.DOWNLOAD_DESCRIPTOR;
}

const LIMITS = { maxBytes: 64 * 1024, maxDepth: 8, maxElements: 200 } as const;

/**
 * Parses a descriptor. `baseUrl` (the URL it was fetched from) resolves relative URIs. Throws
 * `CodecError(ERR_DOWNLOAD_DESCRIPTOR_INVALID)` when the root is not `media` or `objectURI`,
 * `size` or `type` is missing or malformed, and the XML decoder's CodecError for bad XML.
 */
export function parseDownloadDescriptor(input: string | Uint8Array, baseUrl?: string): DownloadDescriptor {
  const doc = typeof input === 'string' ? decodeXmlDocument(input, LIMITS) : decodeXmlBytes(input, LIMITS);
  const root = doc.root;
  if (root.name !== 'media') throw invalid(`the root element is <${root.name}>, not <media>`, root.name);
  const fields = new Map<string, string[]>();
  for (const child of root.children) {
    if (!isElement(child)) continue;
    const list = fields.get(child.name) ?? [];
    list.push(textOf(child as DmElement).trim());
    fields.set(child.name, list);
  }
  const one = (name: string): string | undefined => fields.get(name)?.[0];
  const objectUri = one('objectURI');
  if (objectUri === undefined || objectUri === '') throw invalid('objectURI is missing', 'media/objectURI');
  const sizeText = one('size');
  const size = Number(sizeText);
  if (sizeText === undefined || !/^\d+$/.test(sizeText) || !Number.isSafeInteger(size)) throw invalid(`size "${sizeText ?? ''}" is not a byte count`, 'media/size');
  const types = (fields.get('type') ?? []).filter((t) => t !== '');
  if (types.length === 0) throw invalid('type is missing', 'media/type');
  const sha256 = one('sha256');
  if (sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(sha256)) throw invalid('sha256 is not 64 hex digits', 'media/sha256');
  const resolve = (u: string | undefined): string | undefined => (u === undefined || u === '' ? undefined : resolveUri(u, baseUrl));
  const opt = <K extends keyof DownloadDescriptor>(key: K, value: DownloadDescriptor[K] | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    objectUri: resolveUri(objectUri, baseUrl), size, types,
    ...opt('ddVersion', one('DDVersion')), ...opt('name', one('name')), ...opt('vendor', one('vendor')),
    ...opt('description', one('description')), ...opt('installNotifyUri', resolve(one('installNotifyURI'))),
    ...opt('nextUrl', resolve(one('nextURL'))), ...opt('infoUrl', resolve(one('infoURL'))), ...opt('iconUri', resolve(one('iconURI'))),
    ...opt('installParam', one('installParam')), ...opt('sha256', sha256?.toLowerCase()),
  };
}

/**
 * Install status codes of OMA Download OTA 1.0 (§5.4), POSTed to installNotifyURI as
 * `<code> <text>`.
 */
export const InstallStatus = {
  SUCCESS: 900,
  INSUFFICIENT_MEMORY: 901,
  USER_CANCELLED: 902,
  LOSS_OF_SERVICE: 903,
  ATTRIBUTE_MISMATCH: 905,
  INVALID_DESCRIPTOR: 906,
  INVALID_DDVERSION: 951,
  DEVICE_ABORTED: 952,
  NON_ACCEPTABLE_CONTENT: 953,
  LOADER_ERROR: 954,
} as const;

const statusText: Readonly<Record<number, string>> = {
  900: 'Success', 901: 'Insufficient memory', 902: 'User Cancelled', 903: 'Loss of Service', 905: 'Attribute mismatch',
  906: 'Invalid descriptor', 951: 'Invalid DDVersion', 952: 'Device Aborted', 953: 'Non-Acceptable Content', 954: 'Loader Error',
};

/** The report body for an install status code (`900 Success`). */
export function installStatusReport(code: number): string {
  return `${code} ${statusText[code] ?? 'Unknown'}`;
}

function resolveUri(uri: string, base: string | undefined): string {
  try {
    return base === undefined ? new URL(uri).href : new URL(uri, base).href;
  } catch {
    // Left as written: the download reports it as a bad URL (FUMO 411).
    return uri;
  }
}

function invalid(message: string, path: string): CodecError {
  return new CodecError(ErrorCode.ERR_DOWNLOAD_DESCRIPTOR_INVALID, `download descriptor: ${message}`, { path });
}
