/** What every page of the dashboard gets, and what it gives back. */
import type { EventDto } from '../../server/api/dto.js';
import type { ApiClient } from '../api-client.js';

/** Shared by all views for the current page. */
export interface ViewContext {
  readonly api: ApiClient;
  /** Subscribes to the live event stream until the page changes. */
  onEvent(listener: (event: EventDto) => void): void;
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
