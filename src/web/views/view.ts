/** What every page of the dashboard gets, and what it gives back. */
import type { EventDto, PageDto } from '../../server/api/dto.js';
import type { ApiClient } from '../api-client.js';
import { h, replaceChildren } from '../dom.js';

/** Shared by all views for the current page. */
export interface ViewContext {
  readonly api: ApiClient;
  /** Subscribes to the live event stream until the page changes. */
  onEvent(listener: (event: EventDto) => void): void;
  /** Calls `fn` every `ms` until the page changes. */
  every(ms: number, fn: () => void): void;
  /** Shows a message at the top of the page (an error unless `kind` is `ok`). */
  notify(message: string, kind?: 'error' | 'ok'): void;
  /** Reports a failed call: a refused token leads back to sign-in, anything else is shown. */
  fail(err: unknown): void;
}

/** Calls `fn` at most once per `ms`, after the last call (refresh after a burst of events). */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
}

/** A list loaded page by page ({@link pagedList}): its element, and a reload from the first page. */
export interface PagedList {
  readonly element: HTMLElement;
  reload(): void;
}

/**
 * The list/"More" pattern over a paginated API route: `fetch` gets one page after `cursor`,
 * `render` draws everything loaded so far.
 */
export function pagedList<T>(
  ctx: ViewContext,
  fetch: (cursor: string | undefined) => Promise<PageDto<T>>,
  render: (items: readonly T[], reload: () => void) => HTMLElement,
  moreLabel = 'More',
): PagedList {
  const list = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const more = h('button', { type: 'button', hidden: true }, moreLabel);
  let cursor: string | undefined;
  let shown: T[] = [];
  const load = async (append: boolean): Promise<void> => {
    try {
      const page = await fetch(append ? cursor : undefined);
      shown = append ? [...shown, ...page.items] : [...page.items];
      cursor = page.nextCursor;
      replaceChildren(list, render(shown, reload));
      more.hidden = cursor === undefined;
    } catch (err) {
      ctx.fail(err);
    }
  };
  const reload = (): void => void load(false);
  more.addEventListener('click', () => void load(true));
  reload();
  return { element: h('div', {}, list, more), reload };
}
