/**
 * Bounded, seeded fuzzing of both decoders through the whole path (bytes → element tree → model):
 * mutated real messages, random bytes, deep nesting, huge mb_u_int32 lengths and entity bombs.
 * Every input must end in a result or a CodecError — never another exception, a hang or runaway memory.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeMessage } from '../../../src/core/codec/message-codec.js';
import { CodecError } from '../../../src/core/errors.js';

const vectors = resolve(process.cwd(), '../shared/vectors');
const bench = resolve(process.cwd(), '../shared/bench');

function seeds(): Uint8Array[] {
  const names = readdirSync(vectors).filter((f) => /^(aosp|derived-aosp|derived-libwbxml0118-decoded|fleet-win10|libwbxml-syncml).*\.(xml|wbxml)$/.test(f));
  assert.ok(names.length > 20, `expected the shared vectors in ${vectors}`);
  return [
    ...names.map((f) => new Uint8Array(readFileSync(resolve(vectors, f)))),
    new Uint8Array(readFileSync(resolve(bench, 'typical-dm-message.xml'))),
    new Uint8Array(readFileSync(resolve(bench, 'typical-dm-message.wbxml'))),
  ];
}

/** Mulberry32: a small seeded PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(input: Uint8Array, rnd: () => number): Uint8Array {
  const bytes = Array.from(input);
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (bytes.length + 1));
    switch (Math.floor(rnd() * 5)) {
      case 0: bytes[at] = Math.floor(rnd() * 256); break; // flip a byte
      case 1: bytes.splice(at, 1 + Math.floor(rnd() * 8)); break; // delete a run
      case 2: bytes.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => Math.floor(rnd() * 256))); break; // insert noise
      case 3: { // duplicate a slice (repeated elements, nested tags)
        const from = Math.floor(rnd() * bytes.length);
        bytes.splice(at, 0, ...bytes.slice(from, from + 1 + Math.floor(rnd() * 32)));
        break;
      }
      default: bytes.length = Math.min(bytes.length, at); // truncate
    }
  }
  return new Uint8Array(bytes);
}

function mustBeCodecOutcome(input: Uint8Array, what: string): void {
  const started = performance.now();
  try {
    decodeMessage(input);
  } catch (err) {
    if (!(err instanceof CodecError)) {
      assert.fail(`${what}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} for input ${Buffer.from(input).toString('hex').slice(0, 200)}`);
    }
  }
  const ms = performance.now() - started;
  assert.ok(ms < 2000, `${what}: took ${ms.toFixed(0)} ms`);
}

describe('decoder fuzzing', () => {
  it('answers 20,000 mutated real messages only with a result or a CodecError, in bounded memory', () => {
    const rnd = prng(20261124);
    const corpus = seeds();
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20_000; i++) {
      const seed = corpus[i % corpus.length] as Uint8Array;
      mustBeCodecOutcome(mutate(seed, rnd), `mutation ${i}`);
    }
    global.gc?.();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MiB`);
  });

  it('answers random bytes with a CodecError', () => {
    const rnd = prng(7);
    for (let i = 0; i < 5_000; i++) {
      const bytes = new Uint8Array(Math.floor(rnd() * 300)).map(() => Math.floor(rnd() * 256));
      if (i % 2 === 0 && bytes.length > 0) bytes[0] = 0x02; // half of them look like WBXML 1.2
      mustBeCodecOutcome(bytes, `random ${i}`);
    }
  });

  it('refuses deep nesting in XML and WBXML without exhausting the stack', () => {
    const xml = '<SyncML>' + '<Item>'.repeat(200_000) + '</Item>'.repeat(200_000) + '</SyncML>';
    assert.throws(() => decodeMessage(Buffer.from(xml)), (e: unknown) => e instanceof CodecError && e.code === 'ERR_CODEC_LIMIT_DEPTH');
    // WBXML: header, then 200,000 open Item tags with content (0x54) and no END.
    const wbxml = new Uint8Array(4 + 200_000).fill(0x54);
    wbxml.set([0x02, 0xa4, 0x01, 0x6a, 0x00], 0);
    assert.throws(() => decodeMessage(wbxml), (e: unknown) => e instanceof CodecError);
  });

  it('refuses huge mb_u_int32 lengths in the string table and OPAQUE without allocating them', () => {
    // String-table length 0xFFFFFFFF (mb_u_int32 8F FF FF FF 7F).
    const table = Uint8Array.from([0x02, 0xa4, 0x01, 0x6a, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x6d]);
    assert.throws(() => decodeMessage(table), (e: unknown) => e instanceof CodecError);
    // OPAQUE of length 2^32-1 inside Data.
    const opaque = Uint8Array.from([0x02, 0xa4, 0x01, 0x6a, 0x00, 0x6d, 0x4f, 0xc3, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x01]);
    assert.throws(() => decodeMessage(opaque), (e: unknown) => e instanceof CodecError);
    // An mb_u_int32 that never ends.
    const endless = Uint8Array.from([0x02, 0xa4, 0x01, 0x6a, ...new Array<number>(64).fill(0x80)]);
    assert.throws(() => decodeMessage(endless), (e: unknown) => e instanceof CodecError);
  });

  it('refuses entity bombs and external entities without expanding them', () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE SyncML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><SyncML>&b;</SyncML>';
    assert.throws(() => decodeMessage(Buffer.from(lol)), (e: unknown) => e instanceof CodecError && e.code === 'ERR_XML_DTD_FORBIDDEN');
    const xxe = '<!DOCTYPE SyncML [<!ENTITY x SYSTEM "file:///etc/passwd">]><SyncML>&x;</SyncML>';
    assert.throws(() => decodeMessage(Buffer.from(xxe)), (e: unknown) => e instanceof CodecError && e.code === 'ERR_XML_DTD_FORBIDDEN');
    const undeclared = '<SyncML><SyncHdr><VerDTD>&bomb;</VerDTD></SyncHdr></SyncML>';
    assert.throws(() => decodeMessage(Buffer.from(undeclared)), (e: unknown) => e instanceof CodecError && e.code === 'ERR_XML_ENTITY_UNKNOWN');
  });
});
