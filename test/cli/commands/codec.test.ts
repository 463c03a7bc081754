import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeWbxml, decodeXml } from '../../../src/core/codec/message-codec.js';
import { runCli } from '../../helpers/cli-process.js';

const shared = resolve(process.cwd(), '../shared');

describe('omadm decode / encode', () => {
  it('decodes WBXML to indented XML that carries the same message', async () => {
    const wbxml = readFileSync(resolve(shared, 'bench/typical-dm-message.wbxml'));
    const r = await runCli(['decode', '-'], { input: wbxml });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^<\?xml/);
    assert.deepEqual(decodeXml(r.out), decodeWbxml(wbxml));
  });

  it('encodes XML to WBXML and back to XML without changing the message', async () => {
    const xml = readFileSync(resolve(shared, 'bench/typical-dm-message.xml'));
    const w = await runCli(['encode', '--to', 'wbxml', '-'], { input: xml });
    assert.equal(w.code, 0, w.err);
    assert.equal(w.stdout[0], 0x02);
    assert.deepEqual(decodeWbxml(w.stdout), decodeXml(xml));
    const x = await runCli(['encode', '--to', 'xml', '-'], { input: w.stdout });
    assert.equal(x.code, 0, x.err);
    assert.deepEqual(decodeXml(x.stdout), decodeXml(xml));
  });

  it('reports malformed XML in one line with line:column and exit status 1', async () => {
    const r = await runCli(['decode', '-'], { input: Buffer.from('<SyncML><SyncHdr>\n<VerDTD>1.2</VerDTD><Msg') });
    assert.equal(r.code, 1);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /line 2:\d+.*ERR_XML_MALFORMED/);
  });

  it('reports truncated WBXML with its byte offset', async () => {
    const r = await runCli(['decode', '-'], { input: Uint8Array.from([0x02, 0xa4, 0x01, 0x6a, 0x00, 0x6d, 0x6c, 0x71, 0x03, 0x31]) });
    assert.equal(r.code, 1);
    assert.match(r.err, /at byte \d+.*ERR_WBXML_TRUNCATED/);
    assert.doesNotMatch(r.err, /\n\s+at /);
  });

  it('refuses an unknown --to format', async () => {
    const r = await runCli(['encode', '--to', 'json', '-'], { input: Buffer.from('<SyncML/>') });
    assert.equal(r.code, 1);
    assert.match(r.err, /--to must be wbxml or xml/);
  });
});

describe('omadm notification', () => {
  const common = ['--server-id', 'dm.example', '--server-nonce', 'AAECAwQFBgcICQoLDA0ODw=='];

  it('encodes a WAP-pushed Package 0 whose digest verifies with the right password only', async () => {
    const enc = await runCli(['notification', 'encode', ...common, '--server-password', 'secret', '--session-id', '42', '--ui-mode', 'user-interaction', '--wap-push']);
    assert.equal(enc.code, 0, enc.err);
    const ok = await runCli(['notification', 'decode', '-', ...common, '--server-password', 'secret'], { input: enc.stdout });
    assert.equal(ok.code, 0, ok.err);
    const fields = JSON.parse(ok.out) as Record<string, unknown>;
    assert.equal(fields['sessionId'], 42);
    assert.equal(fields['serverId'], 'dm.example');
    assert.equal(fields['uiMode'], 3);
    assert.equal(fields['verified'], true);
    const bad = await runCli(['notification', 'decode', '-', ...common, '--server-password', 'wrong'], { input: enc.stdout });
    const badFields = JSON.parse(bad.out) as Record<string, unknown>;
    assert.equal(badFields['verified'], false);
    assert.equal(typeof badFields['reason'], 'string');
  });

  it('refuses a short trigger with a clear error', async () => {
    const r = await runCli(['notification', 'decode', '-'], { input: Buffer.alloc(10) });
    assert.equal(r.code, 1);
    assert.match(r.err, /ERR_NOTIFICATION_MALFORMED/);
  });
});
