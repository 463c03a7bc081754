import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCpMac } from '../../../src/core/provisioning/cp-security.js';
import { decodeCpWbxml } from '../../../src/core/provisioning/cp-wbxml.js';
import { findW7, parseW7 } from '../../../src/core/provisioning/w7.js';
import type { PushTransport } from '../../../src/server/notify/push-transport.js';
import { runCli } from '../../helpers/cli-process.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

describe('omadm bootstrap', () => {
  let ts: TestServer;
  let url: string;
  let token: string;
  let dir: string;
  const sent: Uint8Array[] = [];
  before(async () => {
    const transport: PushTransport = { name: 'capture', send: async (_d, bytes) => void sent.push(bytes) };
    // The server's own wiring (REST route behind the admin token), pushing through a capture transport.
    ts = await startTestServer({ serverId: 'dm.example.com' }, { transports: { udp: transport } });
    url = ts.url;
    token = ts.token;
    dir = mkdtempSync(join(tmpdir(), 'omadm-boot-'));
  });
  after(async () => {
    await ts.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes a bootstrap and prints the PIN the user needs', async () => {
    const r = await runCli(['bootstrap', 'dev-cli', '--url', url, '--token', token, '--push-udp', '127.0.0.1:2948', '--pin', '8642', '--name', 'Acme']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^bootstrapped dev-cli for dm\.example\.com at .*: pushed over capture\n {2}security USERPIN, PIN 8642, device registered\n$/);
    assert.equal(sent.length, 1);
  });

  it('writes the signed document for a factory line with --out', async () => {
    const file = join(dir, 'dev.wbxml');
    const r = await runCli(['bootstrap', 'dev-factory', '--url', url, '--token', token, '--sec', 'NETWPIN', '--imsi', '001010123456789', '--no-init', '--out', file, '--json']);
    assert.equal(r.code, 0, r.err);
    const dto = JSON.parse(r.out) as { mac: string; sec: string };
    const body = readFileSync(file);
    assert.equal(verifyCpMac({ sec: 'NETWPIN', imsi: '001010123456789', document: body, mac: dto.mac }), true);
    const app = parseW7(findW7(decodeCpWbxml(body))[0]!);
    assert.equal(app.init, false);
  });

  it('fails with one line when the server refuses', async () => {
    const r = await runCli(['bootstrap', 'dev-x', '--url', url, '--token', token, '--sec', 'NETWPIN', '--out', join(dir, 'x')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^omadm: .*NETWPIN needs the IMSI.*\n$/);
  });
});
