/**
 * Building DOM without innerHTML: every value shown comes from devices or operators, so text is
 * only ever set as text nodes (no markup injection from a device's DevInfo or a node value).
 */

/** What may appear as a child: nodes, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes and event handlers of {@link h}. */
export type Attrs = Readonly<Record<string, string | number | boolean | undefined | ((ev: Event) => void)>>;

/** `h('a', { href: '#/jobs', class: 'nav' }, 'Jobs')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: readonly Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children, turning strings and numbers into text nodes. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces all children of `el`. */
export function replaceChildren(el: Element, ...children: readonly Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A table with a header row; `empty` is shown when there are no rows. */
export function table(headers: readonly string[], rows: readonly (readonly Child[])[], empty = 'Nothing yet.'): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', {},
    h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', {}, t)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c))))));
}

/** A status pill (`<span class="pill done">done</span>`); the class is from a fixed set only. */
export function pill(text: string, kind: string): HTMLElement {
  return h('span', { class: `pill ${/^[a-z_]+$/.test(kind) ? kind : 'other'}` }, text);
}
