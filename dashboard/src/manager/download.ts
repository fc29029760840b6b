import { ApiError } from './api.ts';

/**
 * Saves a file the hub answered (an export) as a browser download, named as its Content-Disposition says.
 * The hub wants the session's bearer token, so a plain link cannot fetch it: the answer comes through the
 * API client and is handed to the browser as an object URL.
 */
export async function saveDownload(
  response: { ok: boolean; status: number; headers: Headers; blob(): Promise<Blob> },
  fallbackName: string,
): Promise<void> {
  if (!response.ok) throw new ApiError(response.status, 'http', `HTTP ${response.status}`);
  const blob = await response.blob();
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
