/** What every page of the dashboard gets, and what it gives back. */
import type { EventDto } from '../../server/api/dto.js';
import type { ApiClient } from '../api-client.js';

/** Shared by all views for the current page. */
export interface ViewContext {
  readonly api: ApiClient;
  /** Subscribes to the live event stream until the page changes. */
  onEvent(listener: (event: EventDto) => void): void;
  /** Shows an error (or success) message at the top of the page. */
  notify(message: string, kind?: 'error' | 'ok'): void;
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
