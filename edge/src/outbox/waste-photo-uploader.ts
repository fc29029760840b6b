import { and, asc, eq, isNull, lte, or } from 'drizzle-orm';
import type { GatewayDb } from '../db/open-db.ts';
import { stockEvents, wastePhotos } from '../db/schema.ts';
import type { CredentialStore } from '../hub-client/credentials.ts';
import { gatewayUrl } from '../hub-client/hub-http.ts';
import type { Logger } from '../log.ts';

export interface WastePhotoUploaderOptions {
  db: GatewayDb;
  log: Logger;
  hubUrl: string;
  credentials: CredentialStore;
  requestTimeoutMs?: number;
  /** How often photos waiting for a retry are looked at (default 30 s). */
  retryEveryMs?: number;
}

/** Statuses after which the hub will never take this photo: dropped with an error logged. */
const REFUSED = new Set([403, 404, 413, 415, 422]);
const RETRY_BASE_MS = 5_000;
const RETRY_CAP_MS = 30 * 60_000;

/**
 * Sends each waste photo kept on the gateway (staff/staff-display.ts attachWastePhoto) to the hub once the
 * hub has acknowledged its event (`PUT /gateways/:id/waste-photos/:eventId`), and deletes it here when the
 * hub answered 204. A 409 (event not at the hub yet), a network error or a 5xx is retried with a growing
 * delay; the photos live in SQLite, so a restart loses none.
 */
export class WastePhotoUploader {
  #timer: NodeJS.Timeout | null = null;
  #busy: Promise<void> = Promise.resolve();
  #stopped = false;
  #ackSeq = 0;

  constructor(private readonly o: WastePhotoUploaderOptions) {}

  start(ackSeq: number): void {
    this.#ackSeq = ackSeq;
    this.#timer = setInterval(() => void this.kick(), this.o.retryEveryMs ?? 30_000);
    this.#timer.unref();
    void this.kick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#busy;
  }

  /** Looks for photos to send now (after an ack, on the timer); runs one pass at a time. */
  kick(ackSeq?: number): Promise<void> {
    if (ackSeq !== undefined) this.#ackSeq = ackSeq;
    this.#busy = this.#busy
      .then(() => this.#pass())
      .catch((error) => {
        this.o.log.warn('waste photo upload pass failed', { error });
      });
    return this.#busy;
  }

  async #pass(): Promise<void> {
    const credentials = this.o.credentials.current;
    if (this.#stopped || !credentials) return;
    const now = Date.now();
    // Acknowledged events only; an event pruned from the local ledger was acknowledged long ago.
    const due = await this.o.db
      .select({
        eventId: wastePhotos.eventId,
        contentType: wastePhotos.contentType,
        bytes: wastePhotos.bytes,
        takenAt: wastePhotos.takenAt,
        attempts: wastePhotos.attempts,
      })
      .from(wastePhotos)
      .leftJoin(stockEvents, eq(stockEvents.id, wastePhotos.eventId))
      .where(
        and(
          lte(wastePhotos.nextAttemptAt, now),
          or(isNull(stockEvents.seq), lte(stockEvents.seq, this.#ackSeq)),
        ),
      )
      .orderBy(asc(wastePhotos.createdAt))
      .limit(10);
    for (const photo of due) {
      if (this.#stopped) return;
      const outcome = await this.#send(credentials.gatewayId, credentials.token, photo);
      if (outcome.done) {
        await this.o.db.delete(wastePhotos).where(eq(wastePhotos.eventId, photo.eventId));
        if (outcome.error)
          this.o.log.error('waste photo refused by the hub; dropped', {
            eventId: photo.eventId,
            reason: outcome.error,
          });
        else this.o.log.debug('waste photo uploaded', { eventId: photo.eventId });
      } else {
        const delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(photo.attempts, 20));
        await this.o.db
          .update(wastePhotos)
          .set({ attempts: photo.attempts + 1, nextAttemptAt: Date.now() + delay, lastError: outcome.error })
          .where(eq(wastePhotos.eventId, photo.eventId));
        this.o.log.warn('waste photo not uploaded yet; will retry', {
          eventId: photo.eventId,
          reason: outcome.error,
          retryInMs: delay,
        });
      }
    }
  }

  async #send(
    gatewayId: string,
    token: string,
    photo: { eventId: string; contentType: string; bytes: Buffer; takenAt: string },
  ): Promise<{ done: boolean; error?: string }> {
    const url = gatewayUrl(
      this.o.hubUrl,
      gatewayId,
      `/waste-photos/${encodeURIComponent(photo.eventId)}?takenAt=${encodeURIComponent(photo.takenAt)}`,
    );
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.o.requestTimeoutMs ?? 30_000);
    try {
      const response = await fetch(url, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': photo.contentType },
        body: new Uint8Array(photo.bytes),
        signal: controller.signal,
      });
      const text = await response.text();
      if (response.status === 204 || response.status === 200) return { done: true };
      const reason = `HTTP ${response.status} ${text.slice(0, 200)}`;
      return REFUSED.has(response.status) ? { done: true, error: reason } : { done: false, error: reason };
    } catch (error) {
      return { done: false, error: controller.signal.aborted ? 'timed out' : (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
