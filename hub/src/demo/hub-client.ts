import { errorEnvelopeSchema } from '@pourcast/protocol';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class HubRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubRequestError';
  }
}

/** A tiny JSON client over the hub's public API, for scripts (the dashboard uses `hc<AppType>()`). */
export class HubClient {
  token: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly fetcher: FetchLike = (input, init) => fetch(input, init),
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetcher(`${this.baseUrl.replace(/\/$/, '')}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const envelope = errorEnvelopeSchema.safeParse(json);
      const error = envelope.success
        ? envelope.data.error
        : { code: 'http_error', message: text, details: [] };
      const details = error.details?.length ? ` (${error.details.join('; ')})` : '';
      throw new HubRequestError(response.status, error.code, `${method} ${path}: ${error.message}${details}`);
    }
    return json as T;
  }
}
