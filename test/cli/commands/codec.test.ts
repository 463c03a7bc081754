import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWbxml, decodeXml } from '../../../src/core/codec/message-codec.js';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const shared = resolve(process.cwd(), '../shared');

/** Runs the real `omadm` entry point as a child process. */
function omadm(args: readonly string[], input?: Uint8Array): Promise<{ out: Buffer; err: string; code: number | null }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args]);
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => done({ out: Buffer.concat(out), err, code }));
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}

describe('omadm decode / encode', () => {
  it('decodes WBXML to indented XML that carries the same message', async () => {
    const wbxml = readFileSync(resolve(shared, 'bench/typical-dm-message.wbxml'));
    const r = await omadm(['decode', '-'], wbxml);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out.toString(), /^<\?xml/);
    assert.deepEqual(decodeXml(r.out.toString()), decodeWbxml(wbxml));
  });

  it('encodes XML to WBXML and back to XML without changing the message', async () => {
    const xml = readFileSync(resolve(shared, 'bench/typical-dm-message.xml'));
    const w = await omadm(['encode', '--to', 'wbxml', '-'], xml);
    assert.equal(w.code, 0, w.err);
    assert.equal(w.out[0], 0x02);
    assert.deepEqual(decodeWbxml(w.out), decodeXml(xml));
    const x = await omadm(['encode', '--to', 'xml', '-'], w.out);
    assert.equal(x.code, 0, x.err);
    assert.deepEqual(decodeXml(x.out), decodeXml(xml));
  });

  it('reports malformed XML in one line with line:column and exit status 1', async () => {
    const r = await omadm(['decode', '-'], Buffer.from('<SyncML><SyncHdr>\n<VerDTD>1.2</VerDTD><Msg'));
    assert.equal(r.code, 1);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /line 2:\d+.*ERR_XML_MALFORMED/);
  });

  it('reports truncated WBXML with its byte offset', async () => {
    const r = await omadm(['decode', '-'], Uint8Array.from([0x02, 0xa4, 0x01, 0x6a, 0x00, 0x6d, 0x6c, 0x71, 0x03, 0x31]));
    assert.equal(r.code, 1);
    assert.match(r.err, /at byte \d+.*ERR_WBXML_TRUNCATED/);
    assert.doesNotMatch(r.err, /\n\s+at /);
  });

  it('refuses an unknown --to format', async () => {
    const r = await omadm(['encode', '--to', 'json', '-'], Buffer.from('<SyncML/>'));
    assert.equal(r.code, 1);
    assert.match(r.err, /--to must be wbxml or xml/);
  });
});

describe('omadm notification', () => {
  const common = ['--server-id', 'dm.example', '--server-nonce', 'AAECAwQFBgcICQoLDA0ODw=='];

  it('encodes a WAP-pushed Package 0 whose digest verifies with the right password only', async () => {
    const enc = await omadm(['notification', 'encode', ...common, '--server-password', 'secret', '--session-id', '42', '--ui-mode', 'user-interaction', '--wap-push']);
    assert.equal(enc.code, 0, enc.err);
    const ok = await omadm(['notification', 'decode', '-', ...common, '--server-password', 'secret'], enc.out);
    assert.equal(ok.code, 0, ok.err);
    const fields = JSON.parse(ok.out.toString()) as Record<string, unknown>;
    assert.equal(fields['sessionId'], 42);
    assert.equal(fields['serverId'], 'dm.example');
    assert.equal(fields['uiMode'], 3);
    assert.equal(fields['verified'], true);
    const bad = await omadm(['notification', 'decode', '-', ...common, '--server-password', 'wrong'], enc.out);
    const badFields = JSON.parse(bad.out.toString()) as Record<string, unknown>;
    assert.equal(badFields['verified'], false);
    assert.equal(typeof badFields['reason'], 'string');
  });

  it('refuses a short trigger with a clear error', async () => {
    const r = await omadm(['notification', 'decode', '-'], Buffer.alloc(10));
    assert.equal(r.code, 1);
    assert.match(r.err, /ERR_NOTIFICATION_MALFORMED/);
  });
});
