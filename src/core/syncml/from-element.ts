/**
 * Maps a decoded element tree onto the typed SyncML model. Shared by the XML and WBXML codecs,
 * so both accept exactly the same documents. Tolerant where real clients differ (whitespace
 * around LocURI, Meta children in any namespace, a MetInf wrapper, hex SessionIDs); strict where
 * a reply could not be built (missing SyncHdr, MsgID, VerDTD).
 */
import { CodecError, ErrorCode } from '../errors.js';
import { isElement, textOf, type DmElement, type DmNode } from '../codec/element.js';
import type {
  AlertCommand, Chal, Command, Cred, Item, ItemData, Location, Meta, ResultsCommand, StatusCommand,
  SyncBody, SyncHdr, SyncMLMessage, VerDtd,
} from './message.js';

/** Builds the typed message from the `SyncML` root element. */
export function messageFromElement(root: DmElement): SyncMLMessage {
  if (root.name !== 'SyncML') invalid(`root element is <${root.name}>, expected <SyncML>`, root.name);
  let hdr: DmElement | undefined;
  let body: DmElement | undefined;
  for (const c of root.children) {
    if (!isElement(c)) continue;
    if (c.name === 'SyncHdr') hdr = c;
    else if (c.name === 'SyncBody') body = c;
  }
  if (!hdr) invalid('missing SyncHdr', 'SyncML');
  if (!body) invalid('missing SyncBody', 'SyncML');
  return { header: headerFrom(hdr), body: bodyFrom(body) };
}

function headerFrom(e: DmElement): SyncHdr {
  let verDtd: string | undefined;
  let verProto: string | undefined;
  let sessionId: string | undefined;
  let msgId: number | undefined;
  let target: Location | undefined;
  let source: Location | undefined;
  const out: { respUri?: string; noResp?: boolean; cred?: Cred; meta?: Meta } = {};
  for (const c of e.children) {
    if (!isElement(c)) continue;
    switch (c.name) {
      case 'VerDTD': verDtd = trimmed(c); break;
      case 'VerProto': verProto = trimmed(c); break;
      case 'SessionID': sessionId = trimmed(c); break;
      case 'MsgID': msgId = intOf(c, 'SyncHdr/MsgID'); break;
      case 'Target': target = locationFrom(c); break;
      case 'Source': source = locationFrom(c); break;
      case 'RespURI': out.respUri = trimmed(c); break;
      case 'NoResp': out.noResp = true; break;
      case 'Cred': out.cred = credFrom(c); break;
      case 'Meta': out.meta = metaFrom(c); break;
      default: break;
    }
  }
  if (verDtd !== '1.1' && verDtd !== '1.2') {
    invalid(verDtd === undefined ? 'missing VerDTD' : `unsupported VerDTD "${verDtd}"`, 'SyncML/SyncHdr/VerDTD');
  }
  if (msgId === undefined) invalid('missing MsgID', 'SyncML/SyncHdr');
  const hdr: SyncHdr = {
    verDtd: verDtd as VerDtd,
    verProto: verProto ?? (verDtd === '1.1' ? 'DM/1.1' : 'DM/1.2'),
    sessionId: sessionId ?? '',
    msgId,
    target: target ?? { locUri: '' },
    source: source ?? { locUri: '' },
    ...out,
  };
  return hdr;
}

function bodyFrom(e: DmElement): SyncBody {
  const commands: Command[] = [];
  let final = false;
  for (const c of e.children) {
    if (!isElement(c)) continue;
    if (c.name === 'Final') final = true;
    else commands.push(commandFrom(c));
  }
  return { commands, final };
}

/** Maps one command element; unknown elements become `Unknown` commands (answered with 400). */
export function commandFrom(e: DmElement): Command {
  switch (e.name) {
    case 'Add': case 'Replace': case 'Delete': case 'Copy': case 'Get': case 'Exec':
      return itemCommandFrom(e, e.name);
    case 'Alert': return alertFrom(e);
    case 'Atomic': case 'Sequence': {
      let cmdId: number | undefined;
      let noResp = false;
      let meta: Meta | undefined;
      const commands: Command[] = [];
      for (const c of e.children) {
        if (!isElement(c)) continue;
        if (c.name === 'CmdID') cmdId = optionalInt(c);
        else if (c.name === 'NoResp') noResp = true;
        else if (c.name === 'Meta') meta = metaFrom(c);
        else commands.push(commandFrom(c));
      }
      return withOptional({ kind: e.name, cmdId, commands }, { meta, noResp: noResp || undefined });
    }
    case 'Status': return statusFrom(e);
    case 'Results': return resultsFrom(e);
    default: {
      let cmdId: number | undefined;
      for (const c of e.children) if (isElement(c) && c.name === 'CmdID') cmdId = optionalInt(c);
      return { kind: 'Unknown', cmdId, name: e.name, element: e };
    }
  }
}

function itemCommandFrom(e: DmElement, kind: 'Add' | 'Replace' | 'Delete' | 'Copy' | 'Get' | 'Exec'): Command {
  let cmdId: number | undefined;
  let noResp = false;
  let meta: Meta | undefined;
  let correlator: string | undefined;
  const itemEls: DmElement[] = [];
  for (const c of e.children) {
    if (!isElement(c)) continue;
    switch (c.name) {
      case 'CmdID': cmdId = optionalInt(c); break;
      case 'NoResp': noResp = true; break;
      case 'Meta': meta = metaFrom(c); break;
      case 'Correlator': correlator = trimmed(c); break;
      case 'Item': itemEls.push(c); break;
      default: break;
    }
  }
  const items = itemEls.map((i) => itemFrom(i, meta?.format));
  const base = withOptional({ kind, cmdId, items }, { meta, noResp: noResp || undefined });
  return kind === 'Exec' ? withOptional(base as { kind: 'Exec'; cmdId: number | undefined; items: Item[] }, { correlator }) : base;
}

function alertFrom(e: DmElement): AlertCommand {
  let cmdId: number | undefined;
  let noResp = false;
  let data: number | undefined;
  let correlator: string | undefined;
  const items: Item[] = [];
  for (const c of e.children) {
    if (!isElement(c)) continue;
    switch (c.name) {
      case 'CmdID': cmdId = optionalInt(c); break;
      case 'NoResp': noResp = true; break;
      case 'Data': data = intOf(c, 'Alert/Data'); break;
      case 'Correlator': correlator = trimmed(c); break;
      case 'Item': items.push(itemFrom(c, undefined)); break;
      default: break;
    }
  }
  if (data === undefined) invalid('Alert without Data', 'SyncBody/Alert');
  return withOptional({ kind: 'Alert', cmdId, data, items }, { correlator, noResp: noResp || undefined });
}

function statusFrom(e: DmElement): StatusCommand {
  let cmdId: number | undefined;
  let msgRef: number | undefined;
  let cmdRef: number | undefined;
  let hasCmdRef = false;
  let cmd = '';
  let data: number | undefined;
  const targetRefs: string[] = [];
  const sourceRefs: string[] = [];
  const items: Item[] = [];
  let cred: Cred | undefined;
  let chal: Chal | undefined;
  for (const c of e.children) {
    if (!isElement(c)) continue;
    switch (c.name) {
      case 'CmdID': cmdId = optionalInt(c); break;
      case 'MsgRef': msgRef = intOf(c, 'Status/MsgRef'); break;
      // A blank CmdRef answers a command that had no CmdID (OMA-TS-DM_RepPro: Status 400, blank CmdRef).
      case 'CmdRef': cmdRef = trimmed(c) === '' ? undefined : intOf(c, 'Status/CmdRef'); hasCmdRef = true; break;
      case 'Cmd': cmd = trimmed(c); break;
      case 'TargetRef': targetRefs.push(trimmed(c)); break;
      case 'SourceRef': sourceRefs.push(trimmed(c)); break;
      case 'Cred': cred = credFrom(c); break;
      case 'Chal': chal = chalFrom(c); break;
      case 'Data': data = intOf(c, 'Status/Data'); break;
      case 'Item': items.push(itemFrom(c, undefined)); break;
      default: break;
    }
  }
  if (data === undefined) invalid('Status without Data', 'SyncBody/Status');
  // MsgRef is optional in the DTD: absent means "the message this one answers" (resolved by the session).
  return withOptional(
    { kind: 'Status', cmdId, msgRef: msgRef ?? 0, cmdRef: hasCmdRef ? cmdRef : 0, cmd, data },
    {
      targetRefs: targetRefs.length ? targetRefs : undefined,
      sourceRefs: sourceRefs.length ? sourceRefs : undefined,
      cred, chal, items: items.length ? items : undefined,
    },
  );
}

function resultsFrom(e: DmElement): ResultsCommand {
  let cmdId: number | undefined;
  let msgRef: number | undefined;
  let cmdRef: number | undefined;
  let meta: Meta | undefined;
  const targetRefs: string[] = [];
  const sourceRefs: string[] = [];
  const itemEls: DmElement[] = [];
  for (const c of e.children) {
    if (!isElement(c)) continue;
    switch (c.name) {
      case 'CmdID': cmdId = optionalInt(c); break;
      case 'MsgRef': msgRef = intOf(c, 'Results/MsgRef'); break;
      case 'CmdRef': cmdRef = intOf(c, 'Results/CmdRef'); break;
      case 'Meta': meta = metaFrom(c); break;
      case 'TargetRef': targetRefs.push(trimmed(c)); break;
      case 'SourceRef': sourceRefs.push(trimmed(c)); break;
      case 'Item': itemEls.push(c); break;
      default: break;
    }
  }
  const items = itemEls.map((i) => itemFrom(i, meta?.format));
  return withOptional(
    { kind: 'Results', cmdId, cmdRef: cmdRef ?? 0, items },
    {
      msgRef, meta,
      targetRefs: targetRefs.length ? targetRefs : undefined,
      sourceRefs: sourceRefs.length ? sourceRefs : undefined,
    },
  );
}

function itemFrom(e: DmElement, commandFormat: string | undefined): Item {
  let target: Location | undefined;
  let source: Location | undefined;
  let meta: Meta | undefined;
  let dataEl: DmElement | undefined;
  let moreData = false;
  let extensions: DmElement[] | undefined;
  for (const c of e.children) {
    if (!isElement(c)) continue;
    switch (c.name) {
      case 'Target': target = locationFrom(c); break;
      case 'Source': source = locationFrom(c); break;
      case 'Meta': meta = metaFrom(c); break;
      case 'Data': dataEl = c; break;
      case 'MoreData': moreData = true; break;
      default: (extensions ??= []).push(c); break;
    }
  }
  const data = dataEl ? dataFrom(dataEl, meta?.format ?? commandFormat) : undefined;
  return withOptional({}, { target, source, meta, data, moreData: moreData || undefined, extensions });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Item Data: embedded markup stays an element; WBXML OPAQUE stays bytes when the item is
 * binary (`bin`) or not valid UTF-8, otherwise it is text — libwbxml and real clients write
 * plain text Data as OPAQUE inside Add/Replace, and the value is the same (docs/reference/wbxml.md).
 */
function dataFrom(e: DmElement, format: string | undefined): ItemData {
  const c = e.children;
  if (c.length === 0) return '';
  let element: DmElement | undefined;
  for (const n of c) if (isElement(n)) { element = n; break; }
  if (element) return element;
  if (c.length === 1) {
    const only = c[0] as DmNode;
    if (only instanceof Uint8Array) return opaqueData(only, format);
    return only as string;
  }
  if (c.some((n) => n instanceof Uint8Array)) {
    const parts = c.map((n) => (typeof n === 'string' ? Buffer.from(n, 'utf8') : n as Uint8Array));
    return opaqueData(Buffer.concat(parts), format);
  }
  return textOf(e);
}

function opaqueData(bytes: Uint8Array, format: string | undefined): ItemData {
  if (format === 'bin') return bytes;
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes;
  }
}

function locationFrom(e: DmElement): Location {
  let locUri = '';
  let locName: string | undefined;
  for (const c of e.children) {
    if (!isElement(c)) continue;
    if (c.name === 'LocURI') locUri = trimmed(c);
    else if (c.name === 'LocName') locName = trimmed(c);
  }
  return locName === undefined ? { locUri } : { locUri, locName };
}

function credFrom(e: DmElement): Cred {
  let meta: Meta | undefined;
  let data = '';
  for (const c of e.children) {
    if (!isElement(c)) continue;
    if (c.name === 'Meta') meta = metaFrom(c);
    else if (c.name === 'Data') data = trimmed(c);
  }
  return meta ? { meta, data } : { data };
}

function chalFrom(e: DmElement): Chal {
  for (const c of e.children) if (isElement(c) && c.name === 'Meta') return { meta: metaFrom(c) };
  return { meta: {} };
}

/** Meta children are matched by local name whatever their namespace (clients differ). */
export function metaFrom(e: DmElement): Meta {
  const m: {
    format?: string; type?: string; mark?: string; size?: number; nextNonce?: string; maxMsgSize?: number;
    maxObjSize?: number; version?: string; emi?: string[]; extensions?: DmElement[];
  } = {};
  collectMeta(e, m);
  return m;
}

function collectMeta(e: DmElement, m: {
  format?: string; type?: string; mark?: string; size?: number; nextNonce?: string; maxMsgSize?: number;
  maxObjSize?: number; version?: string; emi?: string[]; extensions?: DmElement[];
}): void {
  for (const c of e.children) {
    if (!isElement(c)) continue;
    switch (c.name) {
      case 'Format': m.format = trimmed(c); break;
      case 'Type': m.type = trimmed(c); break;
      case 'Mark': m.mark = trimmed(c); break;
      case 'Size': m.size = intOf(c, 'Meta/Size'); break;
      case 'NextNonce': m.nextNonce = trimmed(c); break;
      case 'MaxMsgSize': m.maxMsgSize = intOf(c, 'Meta/MaxMsgSize'); break;
      case 'MaxObjSize': m.maxObjSize = intOf(c, 'Meta/MaxObjSize'); break;
      case 'Version': m.version = trimmed(c); break;
      case 'EMI': (m.emi ??= []).push(textOf(c)); break;
      case 'MetInf': collectMeta(c, m); break;
      default: (m.extensions ??= []).push(c); break;
    }
  }
}

function trimmed(e: DmElement): string {
  return textOf(e).trim();
}

function intOf(e: DmElement, path: string): number {
  const t = trimmed(e);
  const n = Number(t);
  if (t === '' || !Number.isInteger(n) || n < 0) invalid(`<${e.name}> is not a non-negative integer: "${t.slice(0, 40)}"`, path);
  return n;
}

function optionalInt(e: DmElement): number | undefined {
  const t = trimmed(e);
  const n = Number(t);
  return t !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

function invalid(message: string, path: string): never {
  throw new CodecError(ErrorCode.ERR_SYNCML_INVALID, message, { path });
}

/** Adds the defined entries of `extra` to `base` (exactOptionalPropertyTypes forbids `x: undefined`). */
function withOptional<T extends object, E extends object>(base: T, extra: E): T & { [K in keyof E]: Exclude<E[K], undefined> } {
  const out = base as Record<string, unknown>;
  const add = extra as Record<string, unknown>;
  // for-in over a literal: no per-call arrays (this runs for every command and item on the hot path).
  for (const k in add) {
    const v = add[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T & { [K in keyof E]: Exclude<E[K], undefined> };
}
