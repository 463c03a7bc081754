import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCpPush } from '../../../src/core/provisioning/cp-push.js';
import { decodeCpXml } from '../../../src/core/provisioning/cp-xml.js';
import { runCli } from '../../helpers/cli-process.js';
import { readVector } from '../../helpers/wbxml-interop.js';

describe('omadm cp', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'omadm-cp-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('encodes XML as the WBXML libwbxml writes, and decodes it back', async () => {
    const xml = readVector('libwbxml-cp-prov-002.xml');
    const enc = await runCli(['cp', 'encode', '--wbxml', '-'], { input: xml });
    assert.equal(enc.code, 0, enc.err);
    assert.deepEqual(enc.stdout, readVector('derived-libwbxml0118-cp-prov-002.wbxml'));
    const dec = await runCli(['cp', 'decode', '-'], { input: enc.stdout });
    assert.equal(dec.code, 0, dec.err);
    assert.deepEqual(decodeCpXml(dec.stdout), decodeCpXml(xml));
  });

  it('builds a signed push, and decode verifies its MAC with the PIN', async () => {
    const file = join(dir, 'w7.xml');
    writeFileSync(file, readVector('libwbxml-cp-prov-005.xml'));
    const out = join(dir, 'w7.push');
    const enc = await runCli(['cp', 'encode', file, '--push', '--sec', 'USERPIN', '--pin', '1234', '--desc', 'PIN?', '-o', out]);
    assert.equal(enc.code, 0, enc.err);
    const push = decodeCpPush(readFileSync(out));
    assert.equal(push.sec, 'USERPIN');
    assert.equal(push.description, 'PIN?');
    const ok = await runCli(['cp', 'decode', out, '--pin', '1234', '--json']);
    assert.equal(ok.code, 0, ok.err);
    const json = JSON.parse(ok.out) as { push: { verified: boolean; sec: string } };
    assert.equal(json.push.verified, true);
    const bad = await runCli(['cp', 'decode', out, '--pin', '9999']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /MAC DOES NOT MATCH/);
    assert.match(bad.err, /ERR_CP_MAC_INVALID/);
  });

  it('reports malformed input and invalid w7 applications in one clear line', async () => {
    const broken = await runCli(['cp', 'decode', '-'], { input: readVector('derived-libwbxml0118-cp-prov-001.wbxml').subarray(0, 40) });
    assert.equal(broken.code, 1);
    assert.match(broken.err, /^omadm: .*\[ERR_WBXML_TRUNCATED\]\n$/m);
    const w7 = Buffer.from('<wap-provisioningdoc><characteristic type="APPLICATION"><parm name="APPID" value="w7"/></characteristic></wap-provisioningdoc>');
    const invalid = await runCli(['cp', 'decode', '-'], { input: w7 });
    assert.equal(invalid.code, 1);
    assert.match(invalid.err, /error: APPLICATION\/PROVIDER-ID: missing/);
    const noPush = await runCli(['cp', 'encode', '--sec', 'USERPIN', '-'], { input: w7 });
    assert.match(noPush.err, /--sec needs --push/);
  });
});
