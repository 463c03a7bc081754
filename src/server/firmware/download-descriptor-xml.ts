/**
 * Builds an OMA Download Descriptor 1.0 (`application/vnd.oma.dd+xml`, OMA Download OTA 1.0 §5)
 * for a firmware package, so a device can be given the descriptor URL as FUMO PkgURL and learn the
 * object's URI, size and type before it downloads (reference §1.11).
 *
 * DD 1.0 has no digest element; the SHA-256 is carried in an extension element in a namespace of
 * this project (`urn:omadm:dd-ext:1`), which DD 1.0 agents ignore as an unknown element
 * (docs/reference/fumo.md, "Download descriptor").
 */

/** Namespace of OMA DD 1.0. */
export const DD_NAMESPACE = 'http://www.openmobilealliance.org/xmlns/dd';
/** Namespace of this project's DD extension elements (`sha256`). */
export const DD_EXTENSION_NAMESPACE = 'urn:omadm:dd-ext:1';

/** What a descriptor says about one media object. */
export interface DescriptorFields {
  /** Absolute URI of the package bytes. */
  readonly objectUri: string;
  readonly size: number;
  /** MIME type of the object. */
  readonly type: string;
  readonly name?: string;
  readonly vendor?: string;
  readonly description?: string;
  /** Where the device POSTs its install status report (OMA DLOTA §5.4, `900 Success`...). */
  readonly installNotifyUri?: string;
  /** Lower-case hex SHA-256 (project extension). */
  readonly sha256?: string;
}

/** Renders a DD 1.0 document. */
export function buildDownloadDescriptor(f: DescriptorFields): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<media xmlns="${DD_NAMESPACE}">`, '  <DDVersion>1.0</DDVersion>'];
  const add = (name: string, value: string | undefined): void => {
    if (value !== undefined) lines.push(`  <${name}>${escapeXml(value)}</${name}>`);
  };
  add('name', f.name);
  add('vendor', f.vendor);
  add('description', f.description);
  add('type', f.type);
  add('size', String(f.size));
  add('objectURI', f.objectUri);
  add('installNotifyURI', f.installNotifyUri);
  if (f.sha256 !== undefined) lines.push(`  <sha256 xmlns="${DD_EXTENSION_NAMESPACE}">${escapeXml(f.sha256)}</sha256>`);
  lines.push('</media>', '');
  return lines.join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
