/** The device list: who is registered, what they are, when they last checked in. */
import { h, pill, table } from '../dom.js';
import { ago } from '../format.js';
import { routeHash } from '../router.js';
import { debounce, pagedList, type ViewContext } from './view.js';

const PAGE = 50;

export function devicesView(ctx: ViewContext, params: Readonly<Record<string, string>>): HTMLElement {
  const group = h('input', { type: 'search', placeholder: 'group', value: params['group'] ?? '', 'aria-label': 'Filter by group' });
  const list = pagedList(ctx, (cursor) => ctx.api.devices({ limit: PAGE, group: group.value.trim() || undefined, cursor }), (devices) => {
    const now = Date.now();
    return table(['Device', 'Manufacturer / model', 'DM', 'Encoding', 'Groups', 'Last session'], devices.map((d) => [
      h('a', { href: routeHash({ page: 'device', deviceId: d.id, params: {} }) }, d.id),
      [d.devInfo.man, d.devInfo.mod].filter((x) => x !== undefined).join(' / '),
      d.protocolVersion ?? '',
      d.encoding ?? '',
      d.groups.join(', '),
      h('span', { title: d.lastSessionAt ?? '' }, ago(d.lastSessionAt, now), ' ', d.lastSessionOutcome ? pill(d.lastSessionOutcome, d.lastSessionOutcome) : ''),
    ]), 'No devices registered.');
  });
  group.addEventListener('change', list.reload);
  // Sessions ending and devices registering change this list: refresh, at most once a second.
  const refresh = debounce(list.reload, 1000);
  ctx.onEvent((e) => {
    if (e.type === 'session.end' || e.type === 'device.registered') refresh();
  });
  return h('section', {}, h('h2', {}, 'Devices'), h('div', { class: 'toolbar' }, group), list.element);
}
