import type { z } from 'zod';
import { formatIssues } from '@pourcast/protocol';

/** The hub could not be reached (network error, timeout) or answered 5xx: retry later. */
export class HubUnavailableError extends Error {
  override readonly name = 'HubUnavailableError';
}

/** The hub answered 4xx or an answer that breaks the contract: logged with its reason, retried with backoff. */
export class HubRejectedError extends Error {
  override readonly name = 'HubRejectedError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A gateway's own hub route: `<hub>/api/v1/gateways/<id><path>`, whatever slashes end the configured hub URL. */
export function gatewayUrl(hubUrl: string, gatewayId: string, path: string): string {
  return `${hubUrl.replace(/\/+$/, '')}/api/v1/gateways/${encodeURIComponent(gatewayId)}${path}`;
}

export interface HubRequest<S extends z.ZodType> {
  method: 'GET' | 'POST';
  url: string;
  token?: string;
  body?: unknown;
  /** Schema the answer must match. */
  answer: S;
  timeoutMs?: number;
}

/** One JSON request to the hub, with a timeout and the answer validated against its protocol schema. */
export async function hubRequest<S extends z.ZodType>(request: HubRequest<S>): Promise<z.infer<S>> {
  const controller = new AbortController();
  // A plain setTimeout (not AbortSignal.timeout) so fake timers drive it in tests.
  const timer = setTimeout(() => controller.abort(), request.timeoutMs ?? 10_000);
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      },
      body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
      signal: controller.signal,
    });
    text = await response.text();
  } catch (error) {
    const reason = controller.signal.aborted ? 'timed out' : (error as Error).message;
    throw new HubUnavailableError(`${request.method} ${pathOf(request.url)}: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
  if (response.status >= 500) {
    throw new HubUnavailableError(`${request.method} ${pathOf(request.url)}: HTTP ${response.status}`);
  }
  if (response.status >= 400) {
    throw new HubRejectedError(
      `${request.method} ${pathOf(request.url)}: HTTP ${response.status} ${errorReason(text)}`,
      response.status,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HubRejectedError(
      `${request.method} ${pathOf(request.url)}: answer is not JSON`,
      response.status,
    );
  }
  const parsed = request.answer.safeParse(json);
  if (!parsed.success) {
    throw new HubRejectedError(
      `${request.method} ${pathOf(request.url)}: answer breaks the contract: ${formatIssues(parsed.error).slice(0, 3).join('; ')}`,
      response.status,
    );
  }
  return parsed.data;
}

/** The error envelope's code and message, or the first 200 characters of the body. */
function errorReason(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.message) return `${body.error.code ?? 'error'}: ${body.error.message}`;
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 200);
}

/** Paths only in messages: a URL could one day carry a secret in its query. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
}
