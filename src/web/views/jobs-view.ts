/** Jobs across all devices, newest first, filtered by state; queued ones can be cancelled. */
import type { JobDto } from '../../server/api/dto.js';
import { h, pill, replaceChildren, table } from '../dom.js';
import { commandSummary, formatTime, isCancellable, jobOutcome } from '../format.js';
import { routeHash } from '../router.js';
import { debounce, type ViewContext } from './view.js';

const STATES = ['', 'queued', 'sent', 'status_received', 'results_received', 'done', 'failed', 'cancelled', 'expired'] as const;

/** The job table (also used on a device's page). */
export function jobTable(ctx: ViewContext, jobs: readonly JobDto[], opts: { readonly showDevice: boolean; readonly onChange: () => void }): HTMLElement {
  return table(['Job', ...(opts.showDevice ? ['Device'] : []), 'Command', 'State', 'Outcome', 'Updated', ''], jobs.map((j) => [
    j.id,
    ...(opts.showDevice ? [h('a', { href: routeHash({ page: 'device', deviceId: j.deviceId, params: {} }) }, j.deviceId)] : []),
    commandSummary(j.command),
    pill(j.state, j.state),
    jobOutcome(j),
    formatTime(j.updatedAt),
    isCancellable(j)
      ? h('button', {
        type: 'button',
        class: 'small',
        onclick: () => void ctx.api.cancelJob(j.id).then(opts.onChange, (err: unknown) => ctx.fail(err)),
      }, 'Cancel')
      : '',
  ]), 'No jobs.');
}

export function jobsView(ctx: ViewContext, params: Readonly<Record<string, string>>): HTMLElement {
  const state = h('select', { 'aria-label': 'Filter by state' }, ...STATES.map((s) => h('option', { value: s }, s || 'any state')));
  state.value = STATES.includes(params['state'] as (typeof STATES)[number]) ? (params['state'] ?? '') : '';
  const list = h('div', {}, h('p', { class: 'empty' }, 'Loading…'));
  const more = h('button', { type: 'button', hidden: true }, 'Older');
  let cursor: string | undefined;
  let shown: JobDto[] = [];

  const load = async (append: boolean): Promise<void> => {
    try {
      const page = await ctx.api.jobs({ order: 'desc', limit: 50, state: state.value || undefined, cursor: append ? cursor : undefined });
      shown = append ? [...shown, ...page.items] : [...page.items];
      cursor = page.nextCursor;
      replaceChildren(list, jobTable(ctx, shown, { showDevice: true, onChange: () => void load(false) }));
      more.hidden = cursor === undefined;
    } catch (err) {
      ctx.fail(err);
    }
  };
  state.addEventListener('change', () => void load(false));
  more.addEventListener('click', () => void load(true));
  const refresh = debounce(() => void load(false), 1000);
  ctx.onEvent((e) => {
    if (e.type === 'job.state') refresh();
  });
  void load(false);
  return h('section', {}, h('h2', {}, 'Jobs'), h('div', { class: 'toolbar' }, state), list, more);
}
