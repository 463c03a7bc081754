/** Hash routes of the dashboard (`#/devices/IMEI%3A1?tab=jobs`): pure, so tested under Node. */

/** A page of the dashboard. */
export type Route =
  | { readonly page: 'devices'; readonly params: Readonly<Record<string, string>> }
  | { readonly page: 'device'; readonly deviceId: string; readonly params: Readonly<Record<string, string>> }
  | { readonly page: 'jobs'; readonly params: Readonly<Record<string, string>> }
  | { readonly page: 'events'; readonly params: Readonly<Record<string, string>> }
  | { readonly page: 'campaigns'; readonly params: Readonly<Record<string, string>> }
  | { readonly page: 'campaign'; readonly campaignId: string; readonly params: Readonly<Record<string, string>> };

/** Parses `location.hash`; anything unknown is the device list. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = Object.fromEntries(new URLSearchParams(query));
  const parts = path.split('/').filter((p) => p !== '');
  if ((parts[0] === 'devices' || parts[0] === 'campaigns') && parts.length === 2) {
    let id: string;
    try {
      id = decodeURIComponent(parts[1] ?? '');
    } catch {
      return { page: 'devices', params };
    }
    return parts[0] === 'devices' ? { page: 'device', deviceId: id, params } : { page: 'campaign', campaignId: id, params };
  }
  if (parts[0] === 'campaigns' && parts.length === 1) return { page: 'campaigns', params };
  if (parts[0] === 'jobs' && parts.length === 1) return { page: 'jobs', params };
  if (parts[0] === 'events' && parts.length === 1) return { page: 'events', params };
  return { page: 'devices', params };
}

/** The hash for a route: `parseRoute(routeHash(r))` gives `r` back. */
export function routeHash(route: Route): string {
  const query = new URLSearchParams(route.params).toString();
  const path = route.page === 'device' ? `#/devices/${encodeURIComponent(route.deviceId)}`
    : route.page === 'campaign' ? `#/campaigns/${encodeURIComponent(route.campaignId)}`
      : `#/${route.page}`;
  return query ? `${path}?${query}` : path;
}
