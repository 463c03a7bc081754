/**
 * The OMA Client Provisioning document (`wap-provisioningdoc`, OMA-WAP-TS-ProvCont-V1_1 §5):
 * nested `characteristic` elements (attribute `type`) holding `parm` elements (attributes `name`,
 * optional `value`), in document order. The model keeps parms and characteristics interleaved as
 * they came, because their order is part of the bytes a MAC is computed over.
 */
import { CodecError, ErrorCode } from '../errors.js';
import { isElement, type DmDocument, type DmElement } from '../codec/element.js';
import { PROV_XML_PUBLIC_ID } from '../codec/wbxml/prov-code-pages.js';

/** A `parm`: a named value. `value` absent and `value=""` are kept apart. */
export interface CpParm {
  readonly kind: 'parm';
  /** Parameter name (upper case in ProvCont, e.g. `PROVIDER-ID`). */
  readonly name: string;
  /** Parameter value; absent for flag parms such as `INIT`. */
  readonly value?: string;
}

/** A `characteristic`: a typed group of parms and nested characteristics. */
export interface CpCharacteristic {
  readonly kind: 'characteristic';
  /** Characteristic type (`APPLICATION`, `NAPDEF`, `APPAUTH`, …). */
  readonly type: string;
  /** Parms and nested characteristics in document order. */
  readonly children: readonly CpNode[];
}

/** Content of a characteristic. */
export type CpNode = CpParm | CpCharacteristic;

/** A whole provisioning document. */
export interface CpDocument {
  /** The `version` attribute (`1.0`, `1.1`); absent when the document has none. */
  readonly version?: string;
  /** Top-level characteristics in document order. */
  readonly characteristics: readonly CpCharacteristic[];
}

/** Root element name of a provisioning document. */
export const CP_ROOT = 'wap-provisioningdoc';

/** Builds a parm (`value` omitted for a flag parm). */
export function cpParm(name: string, value?: string): CpParm {
  return value === undefined ? { kind: 'parm', name } : { kind: 'parm', name, value };
}

/** Builds a characteristic. */
export function cpCharacteristic(type: string, children: readonly CpNode[] = []): CpCharacteristic {
  return { kind: 'characteristic', type, children };
}

/** Builds a document (`version` omitted when undefined). */
export function cpDocumentOf(characteristics: readonly CpCharacteristic[], version?: string): CpDocument {
  return version === undefined ? { characteristics } : { version, characteristics };
}

/** The parms of a characteristic, in order. */
export function parmsOf(c: CpCharacteristic): CpParm[] {
  return c.children.filter((n): n is CpParm => n.kind === 'parm');
}

/** Values of every parm with this name (flag parms give ''). */
export function parmValues(c: CpCharacteristic, name: string): string[] {
  return parmsOf(c).filter((p) => p.name === name).map((p) => p.value ?? '');
}

/** The first parm with this name, if any. */
export function findParm(c: CpCharacteristic, name: string): CpParm | undefined {
  return parmsOf(c).find((p) => p.name === name);
}

/** Nested characteristics of this type (all of them when `type` is omitted). */
export function childCharacteristics(c: CpCharacteristic | CpDocument, type?: string): CpCharacteristic[] {
  const list = 'kind' in c ? c.children.filter((n): n is CpCharacteristic => n.kind === 'characteristic') : [...c.characteristics];
  return type === undefined ? list : list.filter((x) => x.type === type);
}

/**
 * Reads a provisioning document from the neutral element tree.
 *
 * White-space text between elements is ignored (it is not content in ProvCont's DTD); any other
 * text, an unknown element or a missing `type` / `name` attribute is an error.
 *
 * @throws CodecError ERR_CP_INVALID with the element path.
 */
export function cpFromElement(doc: DmDocument): CpDocument {
  const root = doc.root;
  if (root.name !== CP_ROOT || (root.ns !== undefined && root.ns !== '')) {
    throw invalid(`root element is ${root.name}, not ${CP_ROOT}`, root.name);
  }
  const version = root.attrs?.['version'];
  const characteristics: CpCharacteristic[] = [];
  for (const child of elementChildren(root, CP_ROOT)) {
    if (child.name !== 'characteristic') throw invalid(`unexpected element ${child.name}`, `${CP_ROOT}/${child.name}`);
    characteristics.push(readCharacteristic(child, CP_ROOT));
  }
  return version === undefined ? { characteristics } : { version, characteristics };
}

function readCharacteristic(e: DmElement, parentPath: string): CpCharacteristic {
  const type = e.attrs?.['type'];
  const path = `${parentPath}/characteristic${type === undefined ? '' : `[${type}]`}`;
  if (type === undefined) throw invalid('characteristic without a type attribute', path);
  const children: CpNode[] = [];
  for (const child of elementChildren(e, path)) {
    if (child.name === 'characteristic') children.push(readCharacteristic(child, path));
    else if (child.name === 'parm') children.push(readParm(child, path));
    else throw invalid(`unexpected element ${child.name}`, `${path}/${child.name}`);
  }
  return { kind: 'characteristic', type, children };
}

function readParm(e: DmElement, parentPath: string): CpParm {
  const name = e.attrs?.['name'];
  const path = `${parentPath}/parm${name === undefined ? '' : `[${name}]`}`;
  if (name === undefined) throw invalid('parm without a name attribute', path);
  if ([...elementChildren(e, path)].length > 0) throw invalid('parm with element content', path);
  const value = e.attrs?.['value'];
  return value === undefined ? { kind: 'parm', name } : { kind: 'parm', name, value };
}

/** Element children, rejecting non-blank text (ProvCont elements have element-only content). */
function* elementChildren(e: DmElement, path: string): Generator<DmElement> {
  for (const c of e.children) {
    if (typeof c === 'string') {
      if (!/^[ \t\r\n]*$/.test(c)) throw invalid(`unexpected text ${JSON.stringify(c.slice(0, 20))}`, path);
    } else if (c instanceof Uint8Array) {
      throw invalid('unexpected opaque data', path);
    } else if (isElement(c)) {
      yield c;
    }
  }
}

/** The element tree of a provisioning document (public id PROV 1.0, the one both versions use). */
export function cpToElement(doc: CpDocument): DmDocument {
  const root: DmElement = {
    name: CP_ROOT,
    ...(doc.version === undefined ? {} : { attrs: { version: doc.version } }),
    children: doc.characteristics.map(characteristicElement),
  };
  return { root, publicId: PROV_XML_PUBLIC_ID };
}

function characteristicElement(c: CpCharacteristic): DmElement {
  return {
    name: 'characteristic',
    attrs: { type: c.type },
    children: c.children.map((n) => (n.kind === 'parm' ? parmElement(n) : characteristicElement(n))),
  };
}

function parmElement(p: CpParm): DmElement {
  return { name: 'parm', attrs: p.value === undefined ? { name: p.name } : { name: p.name, value: p.value }, children: [] };
}

function invalid(message: string, path: string): CodecError {
  return new CodecError(ErrorCode.ERR_CP_INVALID, message, { path });
}
