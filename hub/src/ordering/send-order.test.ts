import { env } from 'cloudflare:workers';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@pourcast/protocol';
import { call, createItem, createLocation, freshHub } from '../../test/helpers.ts';
import { pdfText } from '../reports/pdf-text.ts';
import { emailSenderFromEnv, httpEmailSender } from './email/email-sender.ts';
import { readOrder } from './orders.ts';
import { sendOrder } from './send-order.ts';

const API_KEY = 're_test_key_not_a_secret';

/** The email provider's HTTP API, recorded: the third-party boundary. */
function provider(answers: Response[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    return answers.shift() ?? new Response('{"message":"unexpected"}', { status: 500 });
  }) as unknown as typeof globalThis.fetch;
  return { requests, fetch };
}

let owner: LoginResponse;
const LEAD_TIME_DAYS = 3;

/** An approved order for one case of gin, at a new bar (an earlier order's gin is still arriving at the last). */
async function approvedOrder(deliveryAddress?: string): Promise<string> {
  const locationId = await createLocation(owner.token);
  if (deliveryAddress !== undefined) {
    const patched = await call('PATCH', `/locations/${locationId}`, {
      token: owner.token,
      json: { deliveryAddress },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  }
  const draft = await call('POST', `/orders/draft?locationId=${locationId}`, { token: owner.token });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const id = draft.body.orders[0].id;
  expect((await call('POST', `/orders/${id}/approve`, { token: owner.token, json: {} })).status).toBe(200);
  return id;
}

beforeAll(async () => {
  owner = await freshHub();
  const gin = await createItem(owner.token, { name: 'Gin', parLevelMl: 6 * 700 });
  const supplier = await call('POST', '/suppliers', {
    token: owner.token,
    json: { name: 'Harbour', email: 'orders@harbour.example' },
  });
  await call('POST', `/suppliers/${supplier.body.id}/offers`, {
    token: owner.token,
    json: { itemId: gin.id, price: 20, caseSize: 6, leadTimeDays: LEAD_TIME_DAYS },
  });
});

describe('the HTTP email adapter', () => {
  it('posts Resend-shaped JSON with the key as bearer and base64 attachments', async () => {
    const api = provider([Response.json({ id: 'em_1' })]);
    const sender = httpEmailSender({ apiKey: API_KEY, from: 'orders@bar.example', fetch: api.fetch });
    expect(
      await sender.send({
        to: 's@x.example',
        subject: 'PO',
        text: 'hi',
        attachments: [{ filename: 'a.csv', content: 'a,b\r\n', contentType: 'text/csv' }],
        idempotencyKey: 'k1',
      }),
    ).toEqual({ id: 'em_1' });
    const [request] = api.requests;
    expect(request!.url).toBe('https://api.resend.com/emails');
    const headers = request!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(headers['idempotency-key']).toBe('k1');
    const body = JSON.parse(request!.init.body as string);
    expect(body).toMatchObject({
      from: 'orders@bar.example',
      to: ['s@x.example'],
      subject: 'PO',
      text: 'hi',
    });
    expect(atob(body.attachments[0].content)).toBe('a,b\r\n');
  });

  it('reports a refusal with its status and never the key', async () => {
    const api = provider([Response.json({ message: 'domain not verified' }, { status: 403 })]);
    const sender = httpEmailSender({ apiKey: API_KEY, from: 'o@bar.example', fetch: api.fetch });
    const error = await sender
      .send({ to: 's@x.example', subject: 's', text: 't', attachments: [], idempotencyKey: 'k' })
      .catch((e: Error) => e);
    expect(error).toMatchObject({ status: 403, message: 'email provider answered 403: domain not verified' });
    expect(String((error as Error).message)).not.toContain(API_KEY);
  });

  it('is configured from the environment only with a key and a sender', () => {
    expect(emailSenderFromEnv({})).toBeNull();
    expect(emailSenderFromEnv({ EMAIL_API_KEY: API_KEY })).toBeNull();
    expect(emailSenderFromEnv({ EMAIL_API_KEY: API_KEY, EMAIL_FROM: 'o@bar.example' })).not.toBeNull();
  });
});

describe('emailing an order', () => {
  it('sends the PDF and CSV once, saying where and by when; a second send is refused without calling the provider', async () => {
    // Typed with a Windows line break, stray spaces and a blank line: kept as two clean lines.
    const id = await approvedOrder('  4 Quay Street \r\n\n Galway H91 ');
    const api = provider([Response.json({ id: 'em_2' })]);
    const sender = httpEmailSender({ apiKey: API_KEY, from: 'o@bar.example', fetch: api.fetch });
    const actor = { kind: 'user' as const, id: owner.user.id };
    await sendOrder(env.DB, owner.user.organizationId, id, 'email', actor, sender);
    const error = await sendOrder(env.DB, owner.user.organizationId, id, 'email', actor, sender).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ status: 409, code: 'invalid_transition' });
    expect(api.requests).toHaveLength(1);

    const body = JSON.parse(api.requests[0]!.init.body as string);
    expect(body.to).toEqual(['orders@harbour.example']);
    const expected = new Date(Date.now() + LEAD_TIME_DAYS * 86_400_000).toISOString().slice(0, 10);
    expect(body.text).toMatch(
      new RegExp(
        `^Please deliver the attached order to [^,]+, 4 Quay Street, Galway H91 by ${expected}\\. Total 120\\.00 `,
      ),
    );
    expect((api.requests[0]!.init.headers as Record<string, string>)['idempotency-key']).toBe(
      `purchase-order-${id}`,
    );
    const [pdf, csv] = body.attachments;
    const bytes = Uint8Array.from(atob(pdf.content), (c) => c.charCodeAt(0));
    expect((await PDFDocument.load(bytes)).getTitle()).toBe(`Purchase order ${id}`);
    const lines = (await pdfText(bytes)).pages[0]!;
    expect(lines.slice(lines.indexOf('4 Quay Street'), lines.indexOf('4 Quay Street') + 2)).toEqual([
      '4 Quay Street',
      'Galway H91',
    ]);
    // The PDF is the order as sent, dated like the email.
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^Order ${id} +status sent +\\S+ +expected ${expected}$`)),
    );
    expect(atob(csv.content).split('\r\n')[1]).toContain(',Harbour,Gin,1,6,6,20.00,120.00');

    const order = await readOrder(env.DB, owner.user.organizationId, id);
    expect(order).toMatchObject({ status: 'sent', sentVia: 'email' });
    expect(order.history.at(-1)).toMatchObject({
      toStatus: 'sent',
      note: 'emailed to orders@harbour.example',
    });
  });

  it('puts the order back to approved, audited, when the provider fails, so it can be retried', async () => {
    const id = await approvedOrder();
    const api = provider([new Response('bad gateway', { status: 502 }), Response.json({ id: 'em_3' })]);
    const sender = httpEmailSender({ apiKey: API_KEY, from: 'o@bar.example', fetch: api.fetch });
    const actor = { kind: 'user' as const, id: owner.user.id };
    const error = await sendOrder(env.DB, owner.user.organizationId, id, 'email', actor, sender).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ status: 502, code: 'email_failed' });
    const failed = await readOrder(env.DB, owner.user.organizationId, id);
    expect(failed).toMatchObject({ status: 'approved', sentAt: null });
    expect(failed.history.at(-1)).toMatchObject({ fromStatus: 'sent', toStatus: 'approved' });
    expect(failed.history.at(-1)!.note).toMatch(/^email failed: email provider answered 502/);

    await sendOrder(env.DB, owner.user.organizationId, id, 'email', actor, sender);
    expect((await readOrder(env.DB, owner.user.organizationId, id)).status).toBe('sent');
    expect(api.requests).toHaveLength(2);
  });

  it('answers 422 through the API when no provider is configured', async () => {
    const id = await approvedOrder();
    const answer = await call('POST', `/orders/${id}/send`, { token: owner.token, json: { via: 'email' } });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('email_not_configured');
  });
});
