/**
 * Lookup structures derived from the code-page data in code-pages.ts: dense token → name arrays
 * for the decoder and (namespace, name) → token maps for the encoder. They are computed once,
 * at module load, from the tables; nothing here is maintained by hand.
 */
import { WBXML_LANGUAGES, type WbxmlAttrStart, type WbxmlLanguage } from './code-pages.js';
import { TAG_MASK } from './wbxml-tokens.js';

/** Encoder key of a tag: `page << 8 | token`. */
export type PackedTag = number;

/** A language with its derived lookup tables. */
export interface CompiledLanguage {
  /** The source data. */
  readonly language: WbxmlLanguage;
  /** Per page number: 64 entries, tag token (flags masked off) → name, or undefined. */
  readonly tagNames: readonly (readonly (string | undefined)[] | undefined)[];
  /** Per page number: the namespace its elements get in the tree. */
  readonly pageNamespaces: readonly (string | undefined)[];
  /** Per page number: attribute-start tokens, when the language has any. */
  readonly attrStarts: readonly (Readonly<Record<number, WbxmlAttrStart>> | undefined)[];
  /** Per page number: attribute-value tokens, when the language has any. */
  readonly attrValues: readonly (Readonly<Record<number, string>> | undefined)[];
  /** True when some page has attribute tokens (else attributes are not encoded, as in libwbxml). */
  readonly hasAttributes: boolean;
  /** Namespace → element name → packed page/token. */
  readonly tagsByNamespace: ReadonlyMap<string | undefined, ReadonlyMap<string, PackedTag>>;
  /** `tagsByNamespace` for the default namespace (ns undefined), the common case. */
  readonly defaultTags: ReadonlyMap<string, PackedTag> | undefined;
  /** Element name → packed page/token on the lowest page that defines it (namespace-less fallback). */
  readonly tagsByName: ReadonlyMap<string, PackedTag>;
  /** Attribute name → packed page/token of its value-less attribute-start token. */
  readonly attrsByName: ReadonlyMap<string, PackedTag>;
}

/** Derives the lookup tables of one language. */
export function compileLanguage(language: WbxmlLanguage): CompiledLanguage {
  const tagNames: (string | undefined)[][] = [];
  const pageNamespaces: (string | undefined)[] = [];
  const attrStarts: (Readonly<Record<number, WbxmlAttrStart>> | undefined)[] = [];
  const attrValues: (Readonly<Record<number, string>> | undefined)[] = [];
  const tagsByNamespace = new Map<string | undefined, Map<string, PackedTag>>();
  const tagsByName = new Map<string, PackedTag>();
  const attrsByName = new Map<string, PackedTag>();
  let hasAttributes = false;
  const pages = [...language.pages].sort((a, b) => a.page - b.page);
  for (const p of pages) {
    const names: (string | undefined)[] = new Array<string | undefined>(TAG_MASK + 1).fill(undefined);
    let byName = tagsByNamespace.get(p.namespace);
    if (!byName) tagsByNamespace.set(p.namespace, (byName = new Map()));
    for (const [key, name] of Object.entries(p.tags)) {
      const token = Number(key);
      names[token] = name;
      const packed = (p.page << 8) | token;
      if (!byName.has(name)) byName.set(name, packed);
      if (!tagsByName.has(name)) tagsByName.set(name, packed);
    }
    tagNames[p.page] = names;
    pageNamespaces[p.page] = p.namespace;
    if (p.attrStarts) {
      hasAttributes = true;
      attrStarts[p.page] = p.attrStarts;
      for (const [key, a] of Object.entries(p.attrStarts)) {
        if (a.value === undefined && !attrsByName.has(a.name)) attrsByName.set(a.name, (p.page << 8) | Number(key));
      }
    }
    if (p.attrValues) {
      hasAttributes = true;
      attrValues[p.page] = p.attrValues;
    }
  }
  const defaultTags = tagsByNamespace.get(undefined);
  return { language, tagNames, pageNamespaces, attrStarts, attrValues, hasAttributes, tagsByNamespace, defaultTags, tagsByName, attrsByName };
}

const COMPILED: ReadonlyMap<WbxmlLanguage, CompiledLanguage> = new Map(
  WBXML_LANGUAGES.map((l) => [l, compileLanguage(l)] as const),
);

/** The compiled form of a registered language (compiles unregistered ones on the fly). */
export function compiled(language: WbxmlLanguage): CompiledLanguage {
  return COMPILED.get(language) ?? compileLanguage(language);
}

/** The language with this numeric WBXML public id, if registered. */
export function languageByPublicId(id: number): WbxmlLanguage | undefined {
  return WBXML_LANGUAGES.find((l) => l.publicIds.includes(id));
}

/**
 * The language with this formal public identifier. Comparison ignores case and surrounding
 * white space, because the identifier arrives from peers as free text.
 */
export function languageByXmlPublicId(id: string): WbxmlLanguage | undefined {
  const key = id.trim().toUpperCase();
  return WBXML_LANGUAGES.find((l) => l.xmlPublicId.toUpperCase() === key);
}
