/**
 * Codec benchmark (`npm run bench`): messages/s and MB/s for decoding and encoding the standard
 * 2.8 KB DM message into and from the typed model, XML and WBXML, on one core. Not a test.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeWbxml, decodeXml, encodeWbxml, encodeXml } from '../src/core/codec/message-codec.js';

const shared = resolve(process.env['OMADM_SHARED'] ?? '../shared', 'bench');
const xmlText = readFileSync(resolve(shared, 'typical-dm-message.xml'), 'utf8');
const wbxmlBytes = new Uint8Array(readFileSync(resolve(shared, 'typical-dm-message.wbxml')));
const model = decodeXml(xmlText);

/** Runs `fn` repeatedly for about `ms` milliseconds after a warm-up; returns operations per second. */
function measure(fn: () => unknown, ms = 1500): number {
  for (let i = 0; i < 2000; i++) fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 500; i++) fn();
    ops += 500;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

const rows: [string, number, number][] = [
  ['XML decode  (text → model)', measure(() => decodeXml(xmlText)), Buffer.byteLength(xmlText)],
  ['XML encode  (model → text)', measure(() => encodeXml(model)), Buffer.byteLength(xmlText)],
  ['WBXML decode (bytes → model)', measure(() => decodeWbxml(wbxmlBytes)), wbxmlBytes.length],
  ['WBXML encode (model → bytes)', measure(() => encodeWbxml(model)), wbxmlBytes.length],
];

console.log(`codec benchmark — node ${process.version}, message ${Buffer.byteLength(xmlText)} B XML / ${wbxmlBytes.length} B WBXML`);
for (const [name, perSecond, size] of rows) {
  console.log(`${name.padEnd(30)} ${Math.round(perSecond).toString().padStart(8)} msg/s  ${((perSecond * size) / 1e6).toFixed(1).padStart(6)} MB/s`);
}
