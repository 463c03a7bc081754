import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCpPush } from '../../../src/core/provisioning/cp-push.js';
import { decodeCpXml } from '../../../src/core/provisioning/cp-xml.js';
import { readVector } from '../../helpers/wbxml-interop.js';

const ENTRY = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));

/** Runs the CLI as a child process with optional standard input. */
function cli(args: readonly string[], input?: Uint8Array): Promise<{ out: Buffer; err: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args]);
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ out: Buffer.concat(out), err, code }));
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}

describe('omadm cp', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'omadm-cp-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('encodes XML as the WBXML libwbxml writes, and decodes it back', async () => {
    const xml = readVector('libwbxml-cp-prov-002.xml');
    const enc = await cli(['cp', 'encode', '--wbxml', '-'], xml);
    assert.equal(enc.code, 0, enc.err);
    assert.deepEqual(enc.out, readVector('derived-libwbxml0118-cp-prov-002.wbxml'));
    const dec = await cli(['cp', 'decode', '-'], enc.out);
    assert.equal(dec.code, 0, dec.err);
    assert.deepEqual(decodeCpXml(dec.out), decodeCpXml(xml));
  });

  it('builds a signed push, and decode verifies its MAC with the PIN', async () => {
    const file = join(dir, 'w7.xml');
    writeFileSync(file, readVector('libwbxml-cp-prov-005.xml'));
    const out = join(dir, 'w7.push');
    const enc = await cli(['cp', 'encode', file, '--push', '--sec', 'USERPIN', '--pin', '1234', '--desc', 'PIN?', '-o', out]);
    assert.equal(enc.code, 0, enc.err);
    const push = decodeCpPush(readFileSync(out));
    assert.equal(push.sec, 'USERPIN');
    assert.equal(push.description, 'PIN?');
    const ok = await cli(['cp', 'decode', out, '--pin', '1234', '--json']);
    assert.equal(ok.code, 0, ok.err);
    const json = JSON.parse(ok.out.toString()) as { push: { verified: boolean; sec: string } };
    assert.equal(json.push.verified, true);
    const bad = await cli(['cp', 'decode', out, '--pin', '9999']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /MAC DOES NOT MATCH/);
    assert.match(bad.err, /ERR_CP_MAC_INVALID/);
  });

  it('reports malformed input and invalid w7 applications in one clear line', async () => {
    const broken = await cli(['cp', 'decode', '-'], readVector('derived-libwbxml0118-cp-prov-001.wbxml').subarray(0, 40));
    assert.equal(broken.code, 1);
    assert.match(broken.err, /^omadm: .*\[ERR_WBXML_TRUNCATED\]\n$/m);
    const w7 = Buffer.from('<wap-provisioningdoc><characteristic type="APPLICATION"><parm name="APPID" value="w7"/></characteristic></wap-provisioningdoc>');
    const invalid = await cli(['cp', 'decode', '-'], w7);
    assert.equal(invalid.code, 1);
    assert.match(invalid.err, /error: APPLICATION\/PROVIDER-ID: missing/);
    const noPush = await cli(['cp', 'encode', '--sec', 'USERPIN', '-'], w7);
    assert.match(noPush.err, /--sec needs --push/);
  });
});
