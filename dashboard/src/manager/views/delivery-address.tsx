import { DELIVERY_ADDRESS, deliveryAddressLines } from '@pourcast/protocol';
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../shared/i18n.ts';
import { ApiError, hub, ok } from '../api.ts';
import { usePoll } from '../poll.ts';
import { can } from '../state.ts';

/**
 * Where the bar's deliveries go, as its purchase orders and the email to the supplier print it. The owner
 * types it (it is the bar's, like its name); managers and the others read it, or that there is none yet.
 */
export function DeliveryAddress(props: { barId: string }) {
  const location = usePoll(
    async () => ok(await hub.locations[':id'].$get({ param: { id: props.barId } })),
    [props.barId],
    60_000,
  );
  const editable = can('locations:write');
  const stored = location.data?.deliveryAddress ?? null;
  const [text, setText] = useState('');
  const [typed, setTyped] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // The hub's address fills the field, unless something typed waits to be saved.
  useEffect(() => {
    if (!typed) setText(stored ?? '');
  }, [stored, props.barId]);

  if (!location.data)
    return (
      <section class="card deliveries" aria-labelledby="address-h">
        <h3 id="address-h">{t('address.title')}</h3>
        <p class={location.error ? 'error' : 'muted'}>
          {location.error ? t('error.load') : t('app.loading')}
        </p>
      </section>
    );

  const lines = deliveryAddressLines(text);
  const tooLong = lines.length > DELIVERY_ADDRESS.maxLines;
  const save = async (event: Event) => {
    event.preventDefault();
    setStatus(null);
    setFailure(null);
    if (tooLong) return;
    setBusy(true);
    try {
      await ok(
        await hub.locations[':id'].$patch({
          param: { id: props.barId },
          json: { deliveryAddress: lines.join('\n') },
        }),
      );
      setTyped(false);
      setStatus(lines.length ? t('address.saved') : t('address.cleared'));
      location.reload();
    } catch (error) {
      setFailure(error instanceof ApiError && error.status === 400 ? error.reason : t('error.action'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card deliveries" aria-labelledby="address-h" data-testid="delivery-address">
      <h3 id="address-h">{t('address.title')}</h3>
      <p class="muted" id="address-help">
        {t('address.help', { bar: location.data.name })}
      </p>
      {editable ? (
        <form onSubmit={save} noValidate>
          <label for="delivery-address">{t('address.label')}</label>
          <textarea
            id="delivery-address"
            rows={4}
            maxLength={DELIVERY_ADDRESS.maxCharacters}
            value={text}
            disabled={busy}
            aria-invalid={tooLong}
            aria-describedby={tooLong ? 'address-help address-error' : 'address-help'}
            onInput={(e) => {
              setText((e.target as HTMLTextAreaElement).value);
              setTyped(true);
              setStatus(null);
            }}
          />
          {tooLong && (
            <p class="error" id="address-error">
              {t('address.tooLong', { count: DELIVERY_ADDRESS.maxLines })}
            </p>
          )}
          {failure && <p class="error">{failure}</p>}
          <p>
            <button type="submit" class="primary" disabled={busy || tooLong || !typed}>
              {t('address.save')}
            </button>{' '}
            <span role="status">{status}</span>
          </p>
        </form>
      ) : stored ? (
        <address data-testid="delivery-address-text">
          {stored.split('\n').map((line, i) => (
            <Fragment key={i}>
              {i > 0 && <br />}
              {line}
            </Fragment>
          ))}
        </address>
      ) : (
        <p>{t('address.none')}</p>
      )}
    </section>
  );
}
