/**
 * Maps the typed SyncML model to the neutral element tree, in the element order of the
 * SyncML RepPro / MetInf DTDs. Shared by both codecs.
 */
import { assertNever } from '../errors.js';
import { Namespace } from '../constants/meta-types.js';
import type { DmDocument, DmElement, DmNode } from '../codec/element.js';
import type { Command, Cred, Item, ItemData, Location, Meta, SyncMLMessage } from './message.js';

/** How binary Item Data is carried: raw bytes (WBXML OPAQUE) or base64 text (XML). */
export interface ToElementOptions {
  readonly binary: 'bytes' | 'base64';
}

const PUBLIC_ID = { '1.1': '-//SYNCML//DTD SyncML 1.1//EN', '1.2': '-//SYNCML//DTD SyncML 1.2//EN' } as const;

/** Builds the document for a message. */
export function messageToDocument(msg: SyncMLMessage, options: ToElementOptions): DmDocument {
  const h = msg.header;
  const hdr: DmNode[] = [
    leaf('VerDTD', h.verDtd), leaf('VerProto', h.verProto), leaf('SessionID', h.sessionId),
    leaf('MsgID', String(h.msgId)), location('Target', h.target), location('Source', h.source),
  ];
  if (h.respUri !== undefined) hdr.push(leaf('RespURI', h.respUri));
  if (h.noResp) hdr.push(empty('NoResp'));
  if (h.cred) hdr.push(cred(h.cred));
  if (h.meta) hdr.push(meta(h.meta));
  const body: DmNode[] = msg.body.commands.map((c) => command(c, options));
  if (msg.body.final) body.push(empty('Final'));
  return {
    publicId: PUBLIC_ID[h.verDtd],
    root: { name: 'SyncML', children: [{ name: 'SyncHdr', children: hdr }, { name: 'SyncBody', children: body }] },
  };
}

function command(c: Command, o: ToElementOptions): DmElement {
  const out: DmNode[] = [];
  if (c.kind !== 'Unknown' && c.cmdId !== undefined) out.push(leaf('CmdID', String(c.cmdId)));
  switch (c.kind) {
    case 'Add': case 'Replace': case 'Delete': case 'Copy': case 'Get': case 'Exec':
      if (c.noResp) out.push(empty('NoResp'));
      if (c.meta) out.push(meta(c.meta));
      if (c.kind === 'Exec' && c.correlator !== undefined) out.push(leaf('Correlator', c.correlator));
      for (const i of c.items) out.push(item(i, o, c.meta?.format));
      break;
    case 'Alert':
      if (c.noResp) out.push(empty('NoResp'));
      out.push(leaf('Data', String(c.data)));
      if (c.correlator !== undefined) out.push(leaf('Correlator', c.correlator));
      for (const i of c.items) out.push(item(i, o, undefined));
      break;
    case 'Atomic': case 'Sequence':
      if (c.noResp) out.push(empty('NoResp'));
      if (c.meta) out.push(meta(c.meta));
      for (const inner of c.commands) out.push(command(inner, o));
      break;
    case 'Status':
      out.push(leaf('MsgRef', String(c.msgRef)), leaf('CmdRef', c.cmdRef === undefined ? '' : String(c.cmdRef)), leaf('Cmd', c.cmd));
      for (const r of c.targetRefs ?? []) out.push(leaf('TargetRef', r));
      for (const r of c.sourceRefs ?? []) out.push(leaf('SourceRef', r));
      if (c.cred) out.push(cred(c.cred));
      if (c.chal) out.push({ name: 'Chal', children: [meta(c.chal.meta)] });
      out.push(leaf('Data', String(c.data)));
      for (const i of c.items ?? []) out.push(item(i, o, undefined));
      break;
    case 'Results':
      if (c.msgRef !== undefined) out.push(leaf('MsgRef', String(c.msgRef)));
      out.push(leaf('CmdRef', String(c.cmdRef)));
      if (c.meta) out.push(meta(c.meta));
      for (const r of c.targetRefs ?? []) out.push(leaf('TargetRef', r));
      for (const r of c.sourceRefs ?? []) out.push(leaf('SourceRef', r));
      for (const i of c.items) out.push(item(i, o, c.meta?.format));
      break;
    case 'Unknown':
      return c.element;
    default:
      return assertNever(c, 'command');
  }
  return { name: c.kind, children: out };
}

function item(i: Item, o: ToElementOptions, commandFormat: string | undefined): DmElement {
  const out: DmNode[] = [];
  if (i.target) out.push(location('Target', i.target));
  if (i.source) out.push(location('Source', i.source));
  let m = i.meta;
  // Over XML binary travels as base64, so a `bin` item is announced as `b64` (OMA-TS-DM_RepPro, Format).
  if (i.data instanceof Uint8Array && o.binary === 'base64' && (m?.format ?? commandFormat) === 'bin') {
    m = { ...m, format: 'b64' };
  }
  if (m) out.push(meta(m));
  if (i.data !== undefined) out.push(data(i.data, o));
  if (i.moreData) out.push(empty('MoreData'));
  if (i.extensions) out.push(...i.extensions);
  return { name: 'Item', children: out };
}

function data(d: ItemData, o: ToElementOptions): DmElement {
  if (typeof d === 'string') return d === '' ? empty('Data') : { name: 'Data', children: [d] };
  if (d instanceof Uint8Array) {
    if (o.binary === 'bytes') return { name: 'Data', children: [d] };
    return { name: 'Data', children: [Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64')] };
  }
  return { name: 'Data', children: [d] };
}

function location(name: 'Target' | 'Source', l: Location): DmElement {
  const children: DmNode[] = [leaf('LocURI', l.locUri)];
  if (l.locName !== undefined) children.push(leaf('LocName', l.locName));
  return { name, children };
}

function cred(c: Cred): DmElement {
  const children: DmNode[] = [];
  if (c.meta) children.push(meta(c.meta));
  children.push(leaf('Data', c.data));
  return { name: 'Cred', children };
}

/** Meta in MetInf DTD order. */
export function meta(m: Meta): DmElement {
  const ns = Namespace.METINF;
  const c: DmNode[] = [];
  if (m.format !== undefined) c.push(leaf('Format', m.format, ns));
  if (m.type !== undefined) c.push(leaf('Type', m.type, ns));
  if (m.mark !== undefined) c.push(leaf('Mark', m.mark, ns));
  if (m.size !== undefined) c.push(leaf('Size', String(m.size), ns));
  if (m.version !== undefined) c.push(leaf('Version', m.version, ns));
  if (m.nextNonce !== undefined) c.push(leaf('NextNonce', m.nextNonce, ns));
  if (m.maxMsgSize !== undefined) c.push(leaf('MaxMsgSize', String(m.maxMsgSize), ns));
  if (m.maxObjSize !== undefined) c.push(leaf('MaxObjSize', String(m.maxObjSize), ns));
  for (const e of m.emi ?? []) c.push(leaf('EMI', e, ns));
  if (m.extensions) c.push(...m.extensions);
  return { name: 'Meta', children: c };
}

function leaf(name: string, text: string, ns?: string): DmElement {
  const children = text === '' ? [] : [text];
  return ns === undefined ? { name, children } : { name, ns, children };
}

function empty(name: string): DmElement {
  return { name, children: [] };
}
