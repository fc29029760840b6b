import type { z } from 'zod';
import { formatIssues } from '@pourcast/protocol';

/** A small typed client for the hub's HTTP API, validating every answer with the protocol's schemas. */
export class HubApiClient {
  constructor(
    readonly baseUrl: string,
    private token?: string,
  ) {}

  withToken(token: string): HubApiClient {
    return new HubApiClient(this.baseUrl, token);
  }

  async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 500)}`);
    const parsed = schema.safeParse(text ? JSON.parse(text) : null);
    if (!parsed.success)
      throw new Error(`${method} ${path}: unexpected answer\n${formatIssues(parsed.error).join('\n')}`);
    return parsed.data;
  }
}
