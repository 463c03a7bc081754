import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../../helpers/test-server.js';

const tls = (name: string): string => fileURLToPath(new URL(`../../fixtures/tls/${name}`, import.meta.url));

/** A throw-away client CA and a client certificate signed by it (openssl, EC P-256). */
function makeClientPki(dir: string): { ca: string; cert: string; key: string } {
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=test client CA');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'client-key.pem', '-out', 'client.csr', '-subj', '/CN=device-1');
  writeFileSync(join(dir, 'ext.cnf'), 'extendedKeyUsage=clientAuth\n');
  run('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'client.pem', '-days', '2', '-extfile', 'ext.cnf');
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client-key.pem') };
}

function get(url: string, opts: https.RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, opts, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('HTTPS with client certificates', () => {
  it('refuses a TLS client without a certificate when one is required, and serves one with a valid certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omadm-pki-'));
    try {
      const pki = makeClientPki(dir);
      const t = await startTestServer({ tls: { certFile: tls('server.pem'), keyFile: tls('server-key.pem'), caFile: pki.ca, requireClientCert: true } });
      try {
        const ca = readFileSync(tls('ca.pem'));
        await assert.rejects(get(`${t.url}/api/health`, { ca }));
        const status = await get(`${t.url}/api/health`, { ca, cert: readFileSync(pki.cert), key: readFileSync(pki.key) });
        assert.equal(status, 200);
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
