/** A message for the supplier, with the purchase order attached. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  attachments: { filename: string; content: Uint8Array | string; contentType: string }[];
  /** The provider drops a second request with the same key: an order is never emailed twice. */
  idempotencyKey: string;
}

export interface EmailSender {
  send(message: OutgoingEmail): Promise<{ id: string }>;
}

export interface HttpEmailOptions {
  /** The provider's API key (a secret: `wrangler secret put EMAIL_API_KEY`). */
  apiKey: string;
  from: string;
  /** Defaults to Resend's `POST https://api.resend.com/emails`. */
  endpoint?: string;
  fetch?: typeof fetch;
}

export class EmailError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'EmailError';
  }
}

function base64(content: Uint8Array | string): string {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * An HTTP email API in Resend's shape (`{from, to, subject, text, attachments: [{filename, content}]}` with
 * base64 content, `Authorization: Bearer <key>`, `Idempotency-Key`); Postmark-like providers differ only
 * in field names. The key never appears in errors or logs.
 */
export function httpEmailSender(options: HttpEmailOptions): EmailSender {
  const endpoint = options.endpoint ?? 'https://api.resend.com/emails';
  const doFetch = options.fetch ?? fetch;
  return {
    async send(message) {
      const response = await doFetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': message.idempotencyKey,
        },
        body: JSON.stringify({
          from: options.from,
          to: [message.to],
          subject: message.subject,
          text: message.text,
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            content: base64(a.content),
            content_type: a.contentType,
          })),
        }),
      });
      const body = (await response.json().catch(() => ({}))) as { id?: unknown; message?: unknown };
      if (!response.ok) {
        const reason = typeof body.message === 'string' ? body.message.slice(0, 200) : response.statusText;
        throw new EmailError(`email provider answered ${response.status}: ${reason}`, response.status);
      }
      if (typeof body.id !== 'string')
        throw new EmailError('email provider answered without a message id', 502);
      return { id: body.id };
    },
  };
}

export interface EmailBindings {
  EMAIL_API_KEY?: string;
  EMAIL_FROM?: string;
  EMAIL_API_URL?: string;
}

/** The configured sender, or null when no key is set (orders can still be exported and sent by hand). */
export function emailSenderFromEnv(env: EmailBindings, doFetch?: typeof fetch): EmailSender | null {
  if (!env.EMAIL_API_KEY || !env.EMAIL_FROM) return null;
  return httpEmailSender({
    apiKey: env.EMAIL_API_KEY,
    from: env.EMAIL_FROM,
    ...(env.EMAIL_API_URL ? { endpoint: env.EMAIL_API_URL } : {}),
    ...(doFetch ? { fetch: doFetch } : {}),
  });
}
