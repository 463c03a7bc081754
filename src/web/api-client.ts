/**
 * The dashboard's only way to the server: the REST API with a bearer token (house style: `web`
 * talks to the REST API only). No DOM here, so it also runs (and is tested) under Node.
 */
import type {
  CampaignDeviceDto, CampaignDto, CampaignStatusDto, CreateJobDto, DeviceDto, ErrorResponseDto, EventDto, FanOutDto, HealthDto, JobDto,
  PageDto, TreeNodeDto, WakeDto,
} from '../server/api/dto.js';

/** What an operator can do to a FUMO campaign (`POST /api/campaigns/:id/<action>`). */
export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

/** An API call that did not succeed: the HTTP status and the server's error code and message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** Query parameters; `undefined` values are left out. */
export type Query = Readonly<Record<string, string | number | undefined>>;

/** Typed calls to the routes the dashboard uses (docs/reference/rest-api.md). */
export class ApiClient {
  readonly #base: string;
  readonly #token: string;

  /** `base` is the server's origin ('' for the page's own origin). */
  constructor(base: string, token: string) {
    this.#base = base.replace(/\/+$/, '');
    this.#token = token;
  }

  health(): Promise<HealthDto> {
    return this.#call('GET', '/api/health');
  }

  devices(query: Query = {}): Promise<PageDto<DeviceDto>> {
    return this.#call('GET', '/api/devices', query);
  }

  device(id: string): Promise<DeviceDto> {
    return this.#call('GET', `/api/devices/${encodeURIComponent(id)}`);
  }

  tree(id: string, query: Query = {}): Promise<PageDto<TreeNodeDto>> {
    return this.#call('GET', `/api/devices/${encodeURIComponent(id)}/tree`, query);
  }

  wake(id: string): Promise<WakeDto> {
    return this.#call('POST', `/api/devices/${encodeURIComponent(id)}/wake`, {}, {});
  }

  jobs(query: Query = {}): Promise<PageDto<JobDto>> {
    return this.#call('GET', '/api/jobs', query);
  }

  createJob(job: CreateJobDto): Promise<JobDto | FanOutDto> {
    return this.#call('POST', '/api/jobs', {}, job);
  }

  cancelJob(id: string): Promise<JobDto> {
    return this.#call('POST', `/api/jobs/${encodeURIComponent(id)}/cancel`, {}, {});
  }

  events(query: Query = {}): Promise<PageDto<EventDto>> {
    return this.#call('GET', '/api/events', query);
  }

  campaigns(query: Query = {}): Promise<PageDto<CampaignDto>> {
    return this.#call('GET', '/api/campaigns', query);
  }

  campaignStatus(id: string): Promise<CampaignStatusDto> {
    return this.#call('GET', `/api/campaigns/${encodeURIComponent(id)}/status`);
  }

  campaignDevices(id: string, query: Query = {}): Promise<PageDto<CampaignDeviceDto>> {
    return this.#call('GET', `/api/campaigns/${encodeURIComponent(id)}/devices`, query);
  }

  campaignAction(id: string, action: CampaignAction): Promise<CampaignDto> {
    return this.#call('POST', `/api/campaigns/${encodeURIComponent(id)}/${action}`, {}, {});
  }

  /** URL of the Server-Sent Events stream (EventSource cannot send headers: token in the query). */
  eventStreamUrl(query: Query = {}): string {
    return this.#url('/api/events/stream', { ...query, access_token: this.#token });
  }

  #url(path: string, query: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return `${this.#base}${path}${qs ? `?${qs}` : ''}`;
  }

  async #call<T>(method: 'GET' | 'POST', path: string, query: Query = {}, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.#url(path, query), {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new ApiError(0, 'ERR_NETWORK', `cannot reach the server: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const error = (json as Partial<ErrorResponseDto> | undefined)?.error;
      throw new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? (text || res.statusText));
    }
    return json as T;
  }
}
