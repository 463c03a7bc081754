/**
 * The dashboard's entry: asks for an API token once (kept in this browser's localStorage), then
 * routes `#/…` to a view and feeds every view the live event stream.
 */
import type { EventDto } from '../server/api/dto.js';
import { ApiClient, ApiError } from './api-client.js';
import { h, replaceChildren } from './dom.js';
import { EVENT_TYPES } from './format.js';
import { parseRoute, type Route } from './router.js';
import { campaignsView, campaignView } from './views/campaigns-view.js';
import { deviceView } from './views/device-view.js';
import { devicesView } from './views/devices-view.js';
import { eventsView } from './views/events-view.js';
import { jobsView } from './views/jobs-view.js';
import type { ViewContext } from './views/view.js';

const TOKEN_KEY = 'omadm.apiToken';

const main = document.querySelector('main') as HTMLElement;
const banner = document.getElementById('banner') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
const logout = document.getElementById('logout') as HTMLButtonElement;

let listeners: ((e: EventDto) => void)[] = [];
let timers: ReturnType<typeof setInterval>[] = [];
let stream: EventSource | undefined;

function notify(message: string, kind: 'error' | 'ok' = 'error'): void {
  replaceChildren(banner, h('div', { class: `banner ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message));
  if (kind === 'ok') setTimeout(() => replaceChildren(banner), 4000);
}

/** Stops what the current page subscribed to (live events, polling). */
function leavePage(): void {
  listeners = [];
  for (const t of timers) clearInterval(t);
  timers = [];
}

function showLogin(message?: string): void {
  leavePage();
  window.onhashchange = null;
  stream?.close();
  stream = undefined;
  logout.hidden = true;
  replaceChildren(status);
  const token = h('input', { type: 'password', placeholder: 'omadm_…', 'aria-label': 'API token', size: 50, autocomplete: 'off' });
  replaceChildren(main, h('section', { class: 'login' },
    h('h2', {}, 'Sign in'),
    h('p', {}, 'Paste an API token. The server prints its admin token at first start and saves it in ',
      h('code', {}, '<database>.server.json'), ' (for ', h('code', {}, 'npm start'), ': ', h('code', {}, 'omadm.db.server.json'), ').'),
    message ? h('p', { class: 'banner error', role: 'alert' }, message) : null,
    h('form', {
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void signIn(token.value.trim());
      },
    }, token, ' ', h('button', { type: 'submit' }, 'Sign in'))));
  token.focus();
}

async function signIn(token: string): Promise<void> {
  const api = new ApiClient('', token);
  try {
    await api.devices({ limit: 1 });
  } catch (err) {
    showLogin(err instanceof ApiError && err.status === 401 ? 'That token was not accepted.' : String(err instanceof Error ? err.message : err));
    return;
  }
  localStorage.setItem(TOKEN_KEY, token);
  start(api);
}

function start(api: ApiClient): void {
  logout.hidden = false;
  stream?.close();
  stream = typeof EventSource === 'function' ? new EventSource(api.eventStreamUrl()) : undefined;
  if (stream) {
    stream.onopen = () => replaceChildren(status, h('span', { class: 'live' }, '● live'));
    stream.onerror = () => replaceChildren(status, h('span', { class: 'offline' }, '● reconnecting'));
    // The stream names each block by its event type: one listener per type.
    for (const type of EVENT_TYPES) {
      stream.addEventListener(type, (m) => {
        const event = JSON.parse((m as MessageEvent<string>).data) as EventDto;
        for (const l of listeners) l(event);
      });
    }
  } else {
    replaceChildren(status, h('span', { class: 'offline' }, 'no live updates in this browser'));
  }
  const render = (): void => {
    leavePage();
    replaceChildren(banner);
    const route = parseRoute(location.hash);
    const ctx: ViewContext = {
      api,
      notify,
      fail: (err) => {
        if (err instanceof ApiError && err.status === 401) showLogin('The token is no longer accepted.');
        else notify(err instanceof Error ? err.message : String(err));
      },
      onEvent: (l) => void listeners.push(l),
      every: (ms, fn) => void timers.push(setInterval(fn, ms)),
    };
    for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a')) a.classList.toggle('active', a.dataset['page'] === navPage(route));
    replaceChildren(main, viewFor(ctx, route));
  };
  window.onhashchange = render;
  render();
}

function navPage(route: Route): string {
  if (route.page === 'device') return 'devices';
  return route.page === 'campaign' ? 'campaigns' : route.page;
}

function viewFor(ctx: ViewContext, route: Route): HTMLElement {
  switch (route.page) {
    case 'device':
      return deviceView(ctx, route.deviceId);
    case 'jobs':
      return jobsView(ctx, route.params);
    case 'events':
      return eventsView(ctx, route.params);
    case 'campaigns':
      return campaignsView(ctx);
    case 'campaign':
      return campaignView(ctx, route.campaignId);
    case 'devices':
      return devicesView(ctx, route.params);
  }
}

logout.addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  showLogin();
});

const saved = localStorage.getItem(TOKEN_KEY);
if (saved) void signIn(saved);
else showLogin();
