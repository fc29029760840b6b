import { HubRejectedError } from './hub-http.ts';

/** Whether the hub answered the last request (any 2xx-4xx answer counts as reachable). */
export class HubStatus {
  reachable = false;
  lastError: string | null = null;

  succeeded(): void {
    this.reachable = true;
    this.lastError = null;
  }

  failed(error: unknown): void {
    this.reachable = error instanceof HubRejectedError;
    this.lastError = error instanceof Error ? error.message : String(error);
  }
}
