import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Status } from '../../../../src/core/constants/status.js';
import { checkCertificate, createCertificateStorePlugin, listCertificates } from '../../../../src/client/mo/csp/certificate-store.js';
import { TreeTemplate } from '../../../../src/client/tree/tree-template.js';

// A self-signed test certificate made for this repository (openssl req -x509, P-256).
const PEM = readFileSync(new URL('../../../fixtures/certs/test-root.pem', import.meta.url), 'utf8');
const DER_B64 = Buffer.from(new X509Certificate(PEM).raw).toString('base64');
const THUMB = new X509Certificate(PEM).fingerprint.replace(/:/g, '');
const caller = { serverId: 's', roles: 8 };
const tree = (): ReturnType<TreeTemplate['instantiate']> => TreeTemplate.build({
  plugins: [createCertificateStorePlugin()], rootAcl: 'Add=*&Delete=*&Exec=*&Get=*&Replace=*',
}).instantiate();

describe('CertificateStore CSP', () => {
  it('has the ROOT, CA and MY stores', () => {
    assert.equal(tree().get('./Vendor/MSFT/CertificateStore', caller).items?.[0]?.data, 'ROOT/CA/MY');
  });

  it('parses an added EncodedCertificate (base64 DER) and exposes IssuedBy, IssuedTo, validity and thumbprint', () => {
    const t = tree();
    const uri = `./Vendor/MSFT/CertificateStore/ROOT/${THUMB}/EncodedCertificate`;
    assert.equal(t.add({ uri, meta: { format: 'b64' }, data: DER_B64 }, caller).status, Status.OK);
    const get = (leaf: string): unknown => t.get(`./Vendor/MSFT/CertificateStore/ROOT/${THUMB}/${leaf}`, caller).items?.[0]?.data;
    assert.equal(get('IssuedTo'), 'omadm Test Root');
    assert.equal(get('IssuedBy'), 'omadm Test Root');
    assert.match(String(get('ValidTo')), /^\d{8}T\d{6}Z$/);
    assert.equal(get('Thumbprint'), THUMB);
    assert.equal(t.replace({ uri: `./Vendor/MSFT/CertificateStore/ROOT/${THUMB}/IssuedTo`, data: 'x' }, caller).status, Status.COMMAND_NOT_ALLOWED);
    assert.deepEqual(listCertificates(t).map((c) => [c.store, c.issuedTo, c.thumbprint]), [['ROOT', 'omadm Test Root', THUMB]]);
  });

  it('accepts a PEM certificate as chr', () => {
    const t = tree();
    assert.equal(t.add({ uri: './Vendor/MSFT/CertificateStore/CA/c1/EncodedCertificate', meta: { format: 'chr' }, data: PEM }, caller).status, Status.OK);
    assert.equal(listCertificates(t)[0]?.store, 'CA');
  });

  it('rejects garbage: 400 when not base64, 500 when the bytes are not a certificate', () => {
    const t = tree();
    const uri = './Vendor/MSFT/CertificateStore/MY/bad/EncodedCertificate';
    assert.equal(t.add({ uri, meta: { format: 'chr' }, data: 'not base64!' }, caller).status, Status.BAD_REQUEST);
    assert.equal(t.add({ uri, meta: { format: 'b64' }, data: 'AAECAwQ=' }, caller).status, Status.COMMAND_FAILED);
    assert.equal(t.exists('./Vendor/MSFT/CertificateStore/MY/bad'), false);
    assert.equal(checkCertificate(undefined).status, Status.BAD_REQUEST);
  });

  it('deletes a certificate with its derived nodes', () => {
    const t = tree();
    t.add({ uri: './Vendor/MSFT/CertificateStore/MY/c/EncodedCertificate', meta: { format: 'b64' }, data: DER_B64 }, caller);
    assert.equal(t.delete('./Vendor/MSFT/CertificateStore/MY/c', caller).status, Status.OK);
    assert.deepEqual(listCertificates(t), []);
  });
});
