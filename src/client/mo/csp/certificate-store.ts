/**
 * CertificateStore configuration service provider (`./Vendor/MSFT/CertificateStore/{ROOT,CA,MY}`;
 * reference §1.6). A server adds `<store>/<hash>/EncodedCertificate` (base64 DER, or PEM); the
 * device parses it (node:crypto X509Certificate) and exposes read-only IssuedBy, IssuedTo,
 * ValidFrom, ValidTo and Thumbprint. Not base64 → 400; not a certificate → 500 (the CSP fails).
 */
import { X509Certificate } from 'node:crypto';
import { Status } from '../../../core/constants/status.js';
import { SecurityRole } from '../../../core/tree/security-role.js';
import { b64ToBin, binToB64 } from '../../../core/tree/formats.js';
import { formatTStamp } from '../../../core/tree/properties.js';
import { nodeName, parentUri } from '../../../core/tree/uri.js';
import type { NodeDescription, PluginContext, PluginTree, TreeChange, TreePlugin } from '../../tree/plugin.js';

/** Mount URI of the CertificateStore CSP. */
export const CERTIFICATE_STORE_URI = './Vendor/MSFT/CertificateStore';
/** The stores. */
export const CERTIFICATE_STORES: readonly string[] = ['ROOT', 'CA', 'MY'];
/** Leaves the device derives from the certificate. */
export const DERIVED_LEAVES: readonly string[] = ['IssuedBy', 'IssuedTo', 'ValidFrom', 'ValidTo', 'Thumbprint'];

const certificate: NodeDescription = {
  name: '<x>', format: 'node', access: ['Add', 'Delete', 'Get'],
  children: [
    { name: 'EncodedCertificate', format: ['b64', 'chr', 'bin'], access: ['Add', 'Get', 'Replace'] },
    ...DERIVED_LEAVES.map((name): NodeDescription => ({ name, format: 'chr', access: ['Get'], occurrence: 'ZeroOrOne' })),
  ],
};

/** The CertificateStore plug-in. */
export function createCertificateStorePlugin(options: { roleMask?: number; stores?: readonly string[] } = {}): TreePlugin {
  return {
    id: 'certificatestore',
    mount: CERTIFICATE_STORE_URI,
    description: {
      name: 'CertificateStore', format: 'node', access: ['Get'],
      roleMask: options.roleMask ?? SecurityRole.OPERATOR | SecurityRole.MANAGER,
      children: (options.stores ?? CERTIFICATE_STORES).map((name) => ({ name, format: 'node', access: ['Add', 'Get'], children: [certificate] })),
    },
    beforeChange: (_ctx, change) => (isEncoded(change) ? checkCertificate(change.value).status : undefined),
    afterChange: (ctx, change) => {
      if (!isEncoded(change)) return;
      const cert = checkCertificate(change.value).cert;
      if (cert !== undefined) writeDerived(ctx, parentUri(change.uri) ?? change.uri, cert);
    },
  };
}

function isEncoded(change: TreeChange): boolean {
  return (change.kind === 'add' || change.kind === 'replace') && nodeName(change.uri) === 'EncodedCertificate';
}

/** Parses an EncodedCertificate value: the certificate, or the status to refuse it with. */
export function checkCertificate(value: string | Uint8Array | undefined): { status?: number; cert?: X509Certificate } {
  let der: Uint8Array | undefined;
  if (value instanceof Uint8Array) der = value;
  else {
    const text = (value ?? '').trim();
    if (text.startsWith('-----BEGIN')) der = new Uint8Array(Buffer.from(text, 'utf8'));
    else der = b64ToBin(text);
  }
  if (der === undefined || der.byteLength === 0) return { status: Status.BAD_REQUEST };
  try {
    return { cert: new X509Certificate(der) };
  } catch {
    return { status: Status.COMMAND_FAILED };
  }
}

function commonName(dn: string): string {
  const cn = dn.split('\n').find((l) => l.startsWith('CN='));
  return cn === undefined ? dn.replace(/\n/g, ', ') : cn.slice(3);
}

function writeDerived(ctx: PluginContext, certUri: string, cert: X509Certificate): void {
  const t = ctx.tree;
  t.writeValue(`${certUri}/IssuedBy`, commonName(cert.issuer), 'chr');
  t.writeValue(`${certUri}/IssuedTo`, commonName(cert.subject), 'chr');
  t.writeValue(`${certUri}/ValidFrom`, formatTStamp(new Date(cert.validFrom)), 'chr');
  t.writeValue(`${certUri}/ValidTo`, formatTStamp(new Date(cert.validTo)), 'chr');
  t.writeValue(`${certUri}/Thumbprint`, cert.fingerprint.replace(/:/g, ''), 'chr');
}

/** One installed certificate. */
export interface InstalledCertificate {
  /** Store name (ROOT, CA, MY). */
  readonly store: string;
  /** Node name. */
  readonly id: string;
  /** Subject common name. */
  readonly issuedTo: string;
  /** Issuer common name. */
  readonly issuedBy: string;
  /** SHA-1 thumbprint (hex). */
  readonly thumbprint: string;
  /** DER bytes, base64. */
  readonly encoded: string;
}

/** Lists the certificates of the stores. */
export function listCertificates(tree: PluginTree): InstalledCertificate[] {
  const out: InstalledCertificate[] = [];
  for (const store of tree.listChildren(CERTIFICATE_STORE_URI) ?? []) {
    for (const id of tree.listChildren(`${CERTIFICATE_STORE_URI}/${store}`) ?? []) {
      const uri = `${CERTIFICATE_STORE_URI}/${store}/${id}`;
      const raw = tree.readFormat(`${uri}/EncodedCertificate`) === 'bin' ? tree.readBytes(`${uri}/EncodedCertificate`) : tree.readValue(`${uri}/EncodedCertificate`);
      const cert = checkCertificate(raw).cert;
      if (cert === undefined) continue;
      out.push({
        store, id, issuedTo: commonName(cert.subject), issuedBy: commonName(cert.issuer),
        thumbprint: cert.fingerprint.replace(/:/g, ''), encoded: binToB64(new Uint8Array(cert.raw)),
      });
    }
  }
  return out;
}
