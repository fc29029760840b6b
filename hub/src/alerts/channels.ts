import type { NotificationChannelKind } from '@pourcast/protocol';
import { emailSenderFromEnv, type EmailBindings, type EmailSender } from '../ordering/email/email-sender.ts';
import { forgetSubscription, subscriptionKeys } from './push-subscriptions.ts';
import { webPushChannel } from './web-push.ts';

/** One message to one address; the same idempotency key on a retry lets a provider drop a duplicate. */
export interface ChannelMessage {
  subject: string;
  text: string;
  idempotencyKey: string;
}

/** A way to reach a person (email, SMS, webhook), each at its own third-party HTTP API. */
export interface NotificationChannel {
  readonly kind: NotificationChannelKind;
  send(address: string, message: ChannelMessage): Promise<void>;
}

export class ChannelError extends Error {
  constructor(
    message: string,
    /** False when a retry cannot help (bad address, rejected credentials). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** 5xx, 408 and 429 are worth another attempt; other 4xx are not. */
const retryableStatus = (status: number) => status >= 500 || status === 408 || status === 429;

/** Email through the ordering email client (hub/src/ordering/email), no attachments. */
export function emailChannel(sender: EmailSender): NotificationChannel {
  return {
    kind: 'email',
    async send(address, message) {
      try {
        await sender.send({
          to: address,
          subject: message.subject,
          text: message.text,
          attachments: [],
          idempotencyKey: message.idempotencyKey,
        });
      } catch (error) {
        const status = (error as { status?: number }).status ?? 500;
        throw new ChannelError((error as Error).message, retryableStatus(status));
      }
    },
  };
}

export interface SmsOptions {
  accountSid: string;
  /** A secret (`wrangler secret put SMS_AUTH_TOKEN`): only ever in the Authorization header. */
  authToken: string;
  from: string;
  /** Defaults to Twilio's Messages resource for the account. */
  endpoint?: string;
  fetch?: typeof fetch;
}

/** SMS in Twilio's shape: POST form `To`, `From`, `Body` with HTTP basic auth (account SID : token). */
export function smsChannel(options: SmsOptions): NotificationChannel {
  const endpoint =
    options.endpoint ??
    `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const doFetch = options.fetch ?? fetch;
  return {
    kind: 'sms',
    async send(address, message) {
      const body = new URLSearchParams({
        To: address,
        From: options.from,
        Body: `${message.subject}\n${message.text}`.slice(0, 1_600),
      });
      const response = await doFetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa(`${options.accountSid}:${options.authToken}`)}`,
          'content-type': 'application/x-www-form-urlencoded',
          'i-twilio-idempotency-token': message.idempotencyKey,
        },
        body,
      });
      if (!response.ok) {
        const answer = (await response.json().catch(() => ({}))) as { message?: unknown };
        const reason =
          typeof answer.message === 'string' ? answer.message.slice(0, 200) : response.statusText;
        throw new ChannelError(
          `SMS provider answered ${response.status}: ${reason}`,
          retryableStatus(response.status),
        );
      }
    },
  };
}

/** A Slack-compatible incoming webhook: POST JSON `{text}` to the address the user gave. */
export function webhookChannel(options: { fetch?: typeof fetch } = {}): NotificationChannel {
  const doFetch = options.fetch ?? fetch;
  return {
    kind: 'webhook',
    async send(address, message) {
      if (!address.startsWith('https://')) throw new ChannelError('webhook address must be https', false);
      const response = await doFetch(address, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': message.idempotencyKey },
        body: JSON.stringify({ text: `*${message.subject}*\n${message.text}` }),
      });
      if (!response.ok)
        throw new ChannelError(`webhook answered ${response.status}`, retryableStatus(response.status));
    },
  };
}

export interface AlertBindings extends EmailBindings {
  SMS_ACCOUNT_SID?: string;
  SMS_AUTH_TOKEN?: string;
  SMS_FROM?: string;
  SMS_API_URL?: string;
  /** Web push (RFC 8292): the VAPID key pair (private part a secret) and the operator contact. */
  VAPID_PUBLIC_KEY?: string;
  VAPID_PRIVATE_KEY?: string;
  VAPID_SUBJECT?: string;
  /** The hub's D1, where the webpush channel finds subscriptions. */
  DB?: D1Database;
}

export type Channels = Partial<Record<NotificationChannelKind, NotificationChannel>>;

/** The channels configured in the Worker's env (a channel without its secrets is absent). */
export function channelsFromEnv(env: AlertBindings, doFetch?: typeof fetch): Channels {
  const channels: Channels = { webhook: webhookChannel(doFetch ? { fetch: doFetch } : {}) };
  const email = emailSenderFromEnv(env, doFetch);
  if (email) channels.email = emailChannel(email);
  if (env.SMS_ACCOUNT_SID && env.SMS_AUTH_TOKEN && env.SMS_FROM)
    channels.sms = smsChannel({
      accountSid: env.SMS_ACCOUNT_SID,
      authToken: env.SMS_AUTH_TOKEN,
      from: env.SMS_FROM,
      ...(env.SMS_API_URL ? { endpoint: env.SMS_API_URL } : {}),
      ...(doFetch ? { fetch: doFetch } : {}),
    });
  const db = env.DB;
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY && db)
    channels.webpush = webPushChannel({
      vapid: {
        publicKey: env.VAPID_PUBLIC_KEY,
        privateKey: env.VAPID_PRIVATE_KEY,
        subject: env.VAPID_SUBJECT ?? 'mailto:alerts@pourcast.example',
      },
      subscription: (id) => subscriptionKeys(db, id),
      onGone: (id) => forgetSubscription(db, id),
      ...(doFetch ? { fetch: doFetch } : {}),
    });
  return channels;
}
