/**
 * Test helpers for WBXML interop with libwbxml (Debian libwbxml2-utils: xml2wbxml, wbxml2xml):
 * running the tools on temp files, reading the shared vectors, and the element-tree
 * normalisations that make libwbxml's output comparable with ours.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isElement, type DmDocument, type DmElement, type DmNode } from '../../src/core/codec/element.js';
import { libwbxmlOpaqueData } from '../../src/core/codec/wbxml/opaque-data.js';

/** The shared vectors folder (`../shared/vectors` beside the checkout); throws when it is missing. */
export function vectorsDir(): string {
  const dir = resolve(process.cwd(), '../shared/vectors');
  if (!existsSync(dir)) throw new Error(`shared vectors not found at ${dir}: tests need ../shared beside the checkout`);
  return dir;
}

/** Names of the shared vectors that end with `suffix`. */
export function vectorNames(suffix: string): string[] {
  return readdirSync(vectorsDir()).filter((f) => f.endsWith(suffix)).sort();
}

/** The bytes of one shared vector. */
export function readVector(name: string): Buffer {
  return readFileSync(join(vectorsDir(), name));
}

/** The SyncML fixture corpus of this repository (test/fixtures/syncml). */
export function fixtureDir(): string {
  return resolve(process.cwd(), 'test/fixtures/syncml');
}

function run(tool: string, args: string[]): void {
  try {
    execFileSync(tool, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer; stdout?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`${tool} is not installed: the interop tests need Debian's libwbxml2-utils`);
    const out = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.trim();
    throw new Error(`${tool} ${args.join(' ')} failed: ${out}`);
  }
}

function withTemp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'omadm-wbxml-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `xml2wbxml <flags>` on an XML text and returns the WBXML bytes. */
export function xml2wbxml(xml: string, flags: readonly string[]): Uint8Array {
  return withTemp((dir) => {
    const input = join(dir, 'in.xml');
    const output = join(dir, 'out.wbxml');
    writeFileSync(input, xml);
    run('xml2wbxml', [...flags, '-o', output, input]);
    return new Uint8Array(readFileSync(output));
  });
}

/** Runs `wbxml2xml -k -m 0` (keep white space, compact) on WBXML bytes and returns the XML text. */
export function wbxml2xml(bytes: Uint8Array, flags: readonly string[] = []): string {
  return withTemp((dir) => {
    const input = join(dir, 'in.wbxml');
    const output = join(dir, 'out.xml');
    writeFileSync(input, bytes);
    run('wbxml2xml', ['-k', '-m', '0', ...flags, '-o', output, input]);
    return readFileSync(output, 'utf8');
  });
}

/** Plain, comparable form of an element: text merged, bytes as UTF-8 text, CRLF as LF, no attributes. */
export interface Canonical {
  readonly name: string;
  readonly ns?: string;
  readonly children: readonly (string | Canonical)[];
}

/**
 * The canonical form used to say "same document": XML parsers turn CRLF into LF and OPAQUE
 * bytes come back from wbxml2xml as CDATA text, so both sides are reduced to that.
 */
export function canonical(e: DmElement): Canonical {
  const children: (string | Canonical)[] = [];
  for (const c of e.children) {
    if (typeof c === 'string' || c instanceof Uint8Array) {
      const s = (typeof c === 'string' ? c : Buffer.from(c).toString('utf8')).replace(/\r\n/g, '\n');
      if (s.length === 0) continue;
      const last = children.length - 1;
      const prev = children[last];
      if (typeof prev === 'string') children[last] = prev + s;
      else children.push(s);
    } else if (isElement(c)) children.push(canonical(c));
  }
  return e.ns === undefined ? { name: e.name, children } : { name: e.name, ns: e.ns, children };
}

const BLANKS = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;
/** Texts libwbxml's encoder replaces, in any element, because it would embed such content as WBXML. */
const REWRITTEN: ReadonlyMap<string, string> = new Map([
  ['application/vnd.syncml-devinf+xml', 'application/vnd.syncml-devinf+wbxml'],
  ['application/vnd.syncml.dmtnds+xml', 'application/vnd.syncml.dmtnds+wbxml'],
]);

/**
 * The tree xml2wbxml (without -k) actually encodes for an XML document, per libwbxml 0.11.8:
 * text is stripped of leading/trailing ASCII white space and dropped when nothing is left,
 * except the text of a `<Data>` that libwbxml writes as OPAQUE, which is kept as is, with each LF
 * turned into CRLF unless the Meta Type is `text/clear` (its vObject line-break hack); and a text
 * that is exactly a DevInf/TNDS `+xml` media type becomes the `+wbxml` one.
 */
export function libwbxmlView(doc: DmDocument, options: { rewriteTypes?: boolean } = {}): DmDocument {
  const rewrite = options.rewriteTypes !== false;
  const view = (e: DmElement, ancestors: DmElement[]): DmElement => {
    const opaque = e.name === 'Data' && e.ns === undefined &&
      libwbxmlOpaqueData([], { element: e, ancestors });
    const crlf = opaque && metaType(e, ancestors) !== 'text/clear';
    const children: DmNode[] = [];
    const next = [...ancestors, e];
    for (const c of e.children) {
      if (typeof c === 'string') {
        let s = opaque ? (crlf ? c.replace(/\n/g, '\r\n') : c) : c.replace(BLANKS, '');
        if (!opaque && rewrite) s = REWRITTEN.get(s) ?? s;
        if (s.length > 0) children.push(s);
      } else if (c instanceof Uint8Array) children.push(c);
      else children.push(view(c, next));
    }
    return { ...e, children };
  };
  return { ...doc, root: view(doc.root, []) };
}

/** Meta Type text as libwbxml finds it for a Data element (first preceding Meta in parent, else grandparent). */
function metaType(data: DmElement, ancestors: readonly DmElement[]): string | undefined {
  const find = (container: DmElement | undefined, before: DmElement | undefined): string | undefined => {
    if (!container) return undefined;
    for (const c of container.children) {
      if (c === before) return undefined;
      if (typeof c === 'string' || c instanceof Uint8Array || c.name !== 'Meta') continue;
      const type = c.children.find((m): m is DmElement => typeof m !== 'string' && isElement(m) && m.name === 'Type');
      const t = type?.children[0];
      return typeof t === 'string' ? t : undefined;
    }
    return undefined;
  };
  const parent = ancestors[ancestors.length - 1];
  return find(parent, data) ?? find(ancestors[ancestors.length - 2], parent);
}

/** First element with this name, depth first. */
export function findElement(e: DmElement, name: string): DmElement | undefined {
  if (e.name === name) return e;
  for (const c of e.children) {
    if (typeof c !== 'string' && isElement(c)) {
      const hit = findElement(c, name);
      if (hit) return hit;
    }
  }
  return undefined;
}
