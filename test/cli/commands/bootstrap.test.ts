import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { verifyCpMac } from '../../../src/core/provisioning/cp-security.js';
import { decodeCpWbxml } from '../../../src/core/provisioning/cp-wbxml.js';
import { findW7, parseW7 } from '../../../src/core/provisioning/w7.js';
import { installApiErrorHandlers } from '../../../src/server/api/api-errors.js';
import { registerBootstrapRoutes } from '../../../src/server/bootstrap/bootstrap-routes.js';
import { BootstrapService } from '../../../src/server/bootstrap/bootstrap-service.js';
import type { PushTransport } from '../../../src/server/notify/push-transport.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const ENTRY = fileURLToPath(new URL('../../helpers/cp-cli-entry.ts', import.meta.url));

function cli(args: readonly string[]): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { env: { ...process.env, OMADM_URL: '', OMADM_TOKEN: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ out, err, code }));
  });
}

describe('omadm bootstrap', () => {
  let ts: TestServer;
  let api: FastifyInstance;
  let url: string;
  let dir: string;
  const sent: Uint8Array[] = [];
  before(async () => {
    ts = await startTestServer({ serverId: 'dm.example.com' });
    const transport: PushTransport = { name: 'capture', send: async (_d, bytes) => void sent.push(bytes) };
    api = Fastify();
    installApiErrorHandlers(api);
    registerBootstrapRoutes(api, { bootstrap: new BootstrapService({ registry: ts.server.registry, transports: { udp: transport }, serverId: 'dm.example.com', serverUrl: ts.dmUrl }) });
    url = await api.listen({ port: 0, host: '127.0.0.1' });
    dir = mkdtempSync(join(tmpdir(), 'omadm-boot-'));
  });
  after(async () => {
    await api.close();
    await ts.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes a bootstrap and prints the PIN the user needs', async () => {
    const r = await cli(['bootstrap', 'dev-cli', '--url', url, '--token', 't', '--push-udp', '127.0.0.1:2948', '--pin', '8642', '--name', 'Acme']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^bootstrapped dev-cli for dm\.example\.com at .*: pushed over capture\n {2}security USERPIN, PIN 8642, device registered\n$/);
    assert.equal(sent.length, 1);
  });

  it('writes the signed document for a factory line with --out', async () => {
    const file = join(dir, 'dev.wbxml');
    const r = await cli(['bootstrap', 'dev-factory', '--url', url, '--token', 't', '--sec', 'NETWPIN', '--imsi', '001010123456789', '--no-init', '--out', file, '--json']);
    assert.equal(r.code, 0, r.err);
    const dto = JSON.parse(r.out) as { mac: string; sec: string };
    const body = readFileSync(file);
    assert.equal(verifyCpMac({ sec: 'NETWPIN', imsi: '001010123456789', document: body, mac: dto.mac }), true);
    const app = parseW7(findW7(decodeCpWbxml(body))[0]!);
    assert.equal(app.init, false);
  });

  it('fails with one line when the server refuses', async () => {
    const r = await cli(['bootstrap', 'dev-x', '--url', url, '--token', 't', '--sec', 'NETWPIN', '--out', join(dir, 'x')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^omadm: .*NETWPIN needs the IMSI.*\n$/);
  });
});
