/** The device list: who is registered, what they are, when they last checked in. */
import type { DeviceDto } from '../../server/api/dto.js';
import { h, pill, replaceChildren, table } from '../dom.js';
import { ago } from '../format.js';
import { routeHash } from '../router.js';
import { debounce, type ViewContext } from './view.js';

const PAGE = 50;

export function devicesView(ctx: ViewContext, params: Readonly<Record<string, string>>): HTMLElement {
  const group = h('input', { type: 'search', placeholder: 'group', value: params['group'] ?? '', 'aria-label': 'Filter by group' });
  const list = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const more = h('button', { type: 'button', hidden: true }, 'More');
  let cursor: string | undefined;
  let shown: DeviceDto[] = [];

  const render = (): void => {
    const now = Date.now();
    replaceChildren(list, table(['Device', 'Manufacturer / model', 'DM', 'Encoding', 'Groups', 'Last session'], shown.map((d) => [
      h('a', { href: routeHash({ page: 'device', deviceId: d.id, params: {} }) }, d.id),
      [d.devInfo.man, d.devInfo.mod].filter((x) => x !== undefined).join(' / '),
      d.protocolVersion ?? '',
      d.encoding ?? '',
      d.groups.join(', '),
      h('span', { title: d.lastSessionAt ?? '' }, ago(d.lastSessionAt, now), ' ', d.lastSessionOutcome ? pill(d.lastSessionOutcome, d.lastSessionOutcome) : ''),
    ]), 'No devices registered.'));
    more.hidden = cursor === undefined;
  };

  const load = async (append: boolean): Promise<void> => {
    try {
      const g = group.value.trim();
      const page = await ctx.api.devices({ limit: PAGE, group: g || undefined, cursor: append ? cursor : undefined });
      shown = append ? [...shown, ...page.items] : [...page.items];
      cursor = page.nextCursor;
      render();
    } catch (err) {
      ctx.fail(err);
    }
  };

  group.addEventListener('change', () => void load(false));
  more.addEventListener('click', () => void load(true));
  // Sessions ending and devices registering change this list: refresh, at most once a second.
  const refresh = debounce(() => void load(false), 1000);
  ctx.onEvent((e) => {
    if (e.type === 'session.end' || e.type === 'device.registered') refresh();
  });
  void load(false);
  return h('section', {}, h('h2', {}, 'Devices'), h('div', { class: 'toolbar' }, group), list, more);
}
