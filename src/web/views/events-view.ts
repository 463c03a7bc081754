/** The event log: the latest events, and new ones as they are committed (Server-Sent Events). */
import type { EventDto } from '../../server/api/dto.js';
import { h, pill, replaceChildren, table } from '../dom.js';
import { eventDetails, formatTime } from '../format.js';
import { routeHash } from '../router.js';
import type { ViewContext } from './view.js';

const SHOWN = 200;

/** The event table (also used on a device's page). */
export function eventTable(events: readonly EventDto[], showDevice: boolean): HTMLElement {
  return table(['Time', 'Type', ...(showDevice ? ['Device'] : []), 'Details'], events.map((e) => [
    formatTime(e.at),
    pill(e.type, e.type.replace('.', '_')),
    ...(showDevice ? [h('a', { href: routeHash({ page: 'device', deviceId: e.deviceId, params: {} }) }, e.deviceId)] : []),
    h('code', {}, eventDetails(e)),
  ]), 'No events.');
}

export function eventsView(ctx: ViewContext, params: Readonly<Record<string, string>>): HTMLElement {
  const type = params['type'];
  const list = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  let events: EventDto[] = [];
  const render = (): void => replaceChildren(list, eventTable(events, true));
  void ctx.api.events({ order: 'desc', limit: SHOWN, type }).then((page) => {
    // Live events that arrived while the list loaded are already shown: keep them first.
    const seen = new Set(events.map((e) => e.id));
    events = [...events, ...page.items.filter((e) => !seen.has(e.id))].slice(0, SHOWN);
    render();
  }, (err: unknown) => ctx.fail(err));
  ctx.onEvent((e) => {
    if (type !== undefined && e.type !== type) return;
    events = [e, ...events].slice(0, SHOWN);
    render();
  });
  return h('section', {}, h('h2', {}, 'Events', type ? ` (${type})` : ''), h('p', { class: 'hint' }, 'Newest first; new events appear as they happen.'), list);
}
