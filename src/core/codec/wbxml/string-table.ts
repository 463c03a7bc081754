/** The WBXML string table an encoder builds (WBXML 1.3 §5.7): each string once, NUL-terminated. */

/** String table under construction: strings in insertion order with their byte offsets; strings holding NUL never enter it. */
export class StringTable {
  readonly strings: string[] = [];
  readonly #offsets = new Map<string, number>();
  #length = 0;

  get byteLength(): number {
    return this.#length;
  }

  add(s: string): void {
    if (this.#offsets.has(s) || s.includes('\0')) return;
    this.#offsets.set(s, this.#length);
    this.strings.push(s);
    this.#length += Buffer.byteLength(s, 'utf8') + 1;
  }

  offsetOf(s: string): number | undefined {
    return this.#offsets.get(s);
  }
}
