import { describe, expect, it } from 'vitest';
import { httpEmailSender } from '../ordering/email/email-sender.ts';
import { ChannelError, channelsFromEnv, emailChannel, smsChannel, webhookChannel } from './channels.ts';

/** The third-party boundary: a recording fetch answering what the test tells it. */
function recordingFetch(answers: Array<{ status: number; body?: unknown }>) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init: init! });
    const answer = answers.shift() ?? { status: 200, body: {} };
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const message = { subject: 'Gin is below par', text: '0.7 l on hand, par 1.4 l.', idempotencyKey: 'del-1' };
const SECRET = 'sk_test_not_a_real_secret_123';

describe('email channel', () => {
  it('sends through the ordering email client (Resend shape, bearer key, idempotency key)', async () => {
    const { fetch, requests } = recordingFetch([{ status: 200, body: { id: 'em_1' } }]);
    const channel = emailChannel(httpEmailSender({ apiKey: SECRET, from: 'alerts@bar.example', fetch }));
    await channel.send('manager@bar.example', message);
    expect(requests).toHaveLength(1);
    const { url, init } = requests[0]!;
    expect(url).toBe('https://api.resend.com/emails');
    const headers = init.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(headers['idempotency-key']).toBe('del-1');
    expect(JSON.parse(init.body as string)).toEqual({
      from: 'alerts@bar.example',
      to: ['manager@bar.example'],
      subject: 'Gin is below par',
      text: '0.7 l on hand, par 1.4 l.',
      attachments: [],
    });
  });

  it('retries a provider outage, not a rejected request, and never shows the key', async () => {
    const outage = recordingFetch([{ status: 503, body: { message: 'down' } }]);
    const sender = emailChannel(
      httpEmailSender({ apiKey: SECRET, from: 'a@bar.example', fetch: outage.fetch }),
    );
    const error = await sender.send('m@bar.example', message).catch((e) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain(SECRET);
    const rejected = recordingFetch([{ status: 422, body: { message: 'invalid to' } }]);
    const other = emailChannel(
      httpEmailSender({ apiKey: SECRET, from: 'a@bar.example', fetch: rejected.fetch }),
    );
    expect((await other.send('m@bar.example', message).catch((e) => e)).retryable).toBe(false);
  });
});

describe('SMS channel', () => {
  it('posts To/From/Body as a form with basic auth to the account Messages resource', async () => {
    const { fetch, requests } = recordingFetch([{ status: 201, body: { sid: 'SM1' } }]);
    await smsChannel({ accountSid: 'AC123', authToken: SECRET, from: '+15550001', fetch }).send(
      '+31612345678',
      message,
    );
    const { url, init } = requests[0]!;
    expect(url).toBe('https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json');
    const headers = init.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Basic ${btoa(`AC123:${SECRET}`)}`);
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(String(init.body));
    expect(Object.fromEntries(form)).toEqual({
      To: '+31612345678',
      From: '+15550001',
      Body: 'Gin is below par\n0.7 l on hand, par 1.4 l.',
    });
  });

  it('reports the provider message, retryable on 429 and 5xx only', async () => {
    const limited = recordingFetch([{ status: 429, body: { message: 'Too Many Requests' } }]);
    const error = await smsChannel({
      accountSid: 'AC1',
      authToken: SECRET,
      from: '+1555',
      fetch: limited.fetch,
    })
      .send('+31612345678', message)
      .catch((e) => e);
    expect([error.retryable, error.message]).toEqual([true, 'SMS provider answered 429: Too Many Requests']);
    const bad = recordingFetch([{ status: 400, body: { message: 'not a valid phone number' } }]);
    const refused = await smsChannel({
      accountSid: 'AC1',
      authToken: SECRET,
      from: '+1555',
      fetch: bad.fetch,
    })
      .send('+3', message)
      .catch((e) => e);
    expect(refused.retryable).toBe(false);
  });
});

describe('webhook channel', () => {
  it('posts Slack-compatible JSON {text} to the https address', async () => {
    const { fetch, requests } = recordingFetch([{ status: 200 }]);
    await webhookChannel({ fetch }).send('https://hooks.example/T1/B2', message);
    expect(requests[0]!.url).toBe('https://hooks.example/T1/B2');
    expect(JSON.parse(requests[0]!.init.body as string)).toEqual({
      text: '*Gin is below par*\n0.7 l on hand, par 1.4 l.',
    });
    const error = await webhookChannel({ fetch })
      .send('http://plain.example', message)
      .catch((e) => e);
    expect([error.retryable, requests.length]).toEqual([false, 1]);
  });
});

describe('channels from the env', () => {
  it('has email and SMS only when their secrets are set; webhook always', () => {
    expect(Object.keys(channelsFromEnv({})).sort()).toEqual(['webhook']);
    const all = channelsFromEnv({
      EMAIL_API_KEY: SECRET,
      EMAIL_FROM: 'a@bar.example',
      SMS_ACCOUNT_SID: 'AC1',
      SMS_AUTH_TOKEN: SECRET,
      SMS_FROM: '+1555',
    });
    expect(Object.keys(all).sort()).toEqual(['email', 'sms', 'webhook']);
  });
});
