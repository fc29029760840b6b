import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatMoney, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import {
  autoApproveHelp,
  currencyDigits,
  decimalOf,
  deliveryGraceHelp,
  editableFields,
  formOf,
  fractionOf,
  hasChanges,
  invalidText,
  policyChanges,
  policyRefusalText,
  reviewPeriodHelp,
  serviceLevelHelp,
  serviceLevelText,
  whoMayChange,
  type OrderingPolicy,
  type PolicyField,
  type PolicyForm,
} from '../ordering-policy.ts';
import { usePoll } from '../poll.ts';
import { role } from '../session.ts';
import { currency } from '../state.ts';

/** One setting: its control (or its value, read-only), what it means for the bar, who may change it, its error. */
function Setting(props: {
  field: PolicyField;
  label: string;
  editable: boolean;
  value: ComponentChildren;
  help: string;
  error: string | null;
  children?: ComponentChildren;
}) {
  const { field } = props;
  return (
    <div class="policy-setting" data-testid={`policy-${field}`}>
      {props.editable ? (
        props.children
      ) : (
        <>
          <span class="policy-label">{props.label}</span>
          <strong data-testid={`policy-${field}-value`}>{props.value}</strong>
        </>
      )}
      <p class="muted" id={`policy-${field}-help`}>
        {props.help}
        {!props.editable && ` ${t('policy.whoMayChange', { roles: whoMayChange(field) })}`}
      </p>
      {props.error && (
        <p class="error" id={`policy-${field}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/**
 * The ordering policy the hub sizes and approves orders with: the service level (typed as a percentage),
 * the review period and the delivery grace (owners and managers), and the auto-approval limit (owners). Each
 * says what it means for the bar; a role that may not change one sees it read-only with who may. Only the
 * changed fields are sent, the limit to its own endpoint; the hub's refusal is shown with its reason.
 */
export function OrderingSettings() {
  const polled = usePoll(async () => ok(await hub.ordering.settings.$get()), []);
  /** The settings as the hub last answered them (the form's changes are against these). */
  const [policy, setPolicy] = useState<OrderingPolicy | null>(null);
  const [form, setForm] = useState<PolicyForm | null>(null);
  /** The fields refused at the last save; each one's message shows until it is typed within bounds. */
  const [refused, setRefused] = useState<PolicyField[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<'saved' | 'unchanged' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const editable = editableFields(role.value);
  const money = currency.value;
  const changes = policy && form ? policyChanges(policy, form, editable, money) : null;
  const dirty = changes !== null && hasChanges(changes);
  // The hub's answer fills the form; a newer one (someone else's change) replaces it while nothing typed waits.
  useEffect(() => {
    if (!polled.data || dirty || busy) return;
    setPolicy(polled.data);
    setForm(formOf(polled.data));
  }, [polled.data]);

  if (!policy || !form || !changes)
    return (
      <section class="card policy" aria-labelledby="policy-h">
        <h3 id="policy-h">{t('policy.title')}</h3>
        <p class={polled.error ? 'error' : 'muted'}>{polled.error ? t('error.load') : t('app.loading')}</p>
      </section>
    );

  const edit = (next: Partial<PolicyForm>) => {
    setForm({ ...form, ...next });
    setStatus(null);
    setFailure(null);
  };
  const invalid = (field: PolicyField) => refused.includes(field) && changes.invalid.includes(field);
  const errorOf = (field: PolicyField) => (invalid(field) ? invalidText(field, money) : null);

  const save = async (event: Event) => {
    event.preventDefault();
    setStatus(null);
    setFailure(null);
    setRefused(changes.invalid);
    if (changes.invalid.length > 0) {
      formRef.current?.querySelector<HTMLInputElement>(`[name="${changes.invalid[0]}"]`)?.focus();
      return;
    }
    if (!hasChanges(changes)) {
      setStatus('unchanged');
      return;
    }
    setBusy(true);
    let saved = policy;
    try {
      if (changes.settings) saved = await ok(await hub.ordering.settings.$patch({ json: changes.settings }));
      if (changes.autoApproveLimit !== undefined)
        saved = await ok(
          await hub.ordering['auto-approval'].$patch({
            json: { autoApproveLimit: changes.autoApproveLimit },
          }),
        );
      setForm(formOf(saved));
      setStatus('saved');
    } catch (error) {
      // What was saved before the refusal stays saved; the form keeps what the hub refused, to correct it.
      setFailure(policyRefusalText(error));
    } finally {
      setPolicy(saved);
      setBusy(false);
      // Polls again from now: an answer read before the save must not put the old settings back.
      polled.reload();
    }
  };

  /**
   * A number field for one setting, its help and error read with it. Text, not type=number: what is typed
   * stays as typed (a decimal comma too) and is checked against the hub's bounds here, in the user's language.
   */
  const numberInput = (
    field: PolicyField,
    key: Exclude<keyof PolicyForm, 'autoApprove'>,
    decimals: number,
  ) => (
    <input
      id={`policy-${field}`}
      name={field}
      type="text"
      inputMode={decimals > 0 ? 'decimal' : 'numeric'}
      autoComplete="off"
      value={form[key]}
      disabled={busy || (field === 'autoApproveLimit' && !form.autoApprove)}
      aria-invalid={invalid(field)}
      aria-describedby={[`policy-${field}-help`, invalid(field) && `policy-${field}-error`]
        .filter(Boolean)
        .join(' ')}
      onInput={(e) => edit({ [key]: (e.target as HTMLInputElement).value })}
    />
  );

  /** The help follows what is typed while it is readable, else says what the hub holds. */
  const typedPercent = decimalOf(form.servicePercent, 1);
  const shownLevel =
    typedPercent !== null && !changes.invalid.includes('serviceLevel') && editable.has('serviceLevel')
      ? fractionOf(typedPercent)
      : policy.serviceLevel;
  const typedDays = (field: 'reviewPeriodDays' | 'deliveryGraceDays') =>
    editable.has(field) && !changes.invalid.includes(field)
      ? (decimalOf(form[field], 0) ?? policy[field])
      : policy[field];
  const typedLimit =
    editable.has('autoApproveLimit') && !changes.invalid.includes('autoApproveLimit')
      ? form.autoApprove
        ? decimalOf(form.autoApproveLimit, currencyDigits(money))
        : null
      : policy.autoApproveLimit;
  const days = (count: number) => t('policy.days', { count });
  const canSave = editable.size > 0;

  return (
    <section class="card policy" aria-labelledby="policy-h" data-testid="ordering-policy">
      <h3 id="policy-h">{t('policy.title')}</h3>
      <p class="muted">{t('policy.intro')}</p>
      <form ref={formRef} class="policy-grid" noValidate onSubmit={save}>
        <Setting
          field="serviceLevel"
          label={t('policy.serviceLevel')}
          editable={editable.has('serviceLevel')}
          value={serviceLevelText(policy.serviceLevel)}
          help={serviceLevelHelp(shownLevel)}
          error={errorOf('serviceLevel')}
        >
          <label for="policy-serviceLevel">{t('policy.serviceLevel')}</label>
          {numberInput('serviceLevel', 'servicePercent', 1)}
        </Setting>
        <Setting
          field="reviewPeriodDays"
          label={t('policy.reviewPeriod')}
          editable={editable.has('reviewPeriodDays')}
          value={days(policy.reviewPeriodDays)}
          help={reviewPeriodHelp(typedDays('reviewPeriodDays'))}
          error={errorOf('reviewPeriodDays')}
        >
          <label for="policy-reviewPeriodDays">{t('policy.reviewPeriod')}</label>
          {numberInput('reviewPeriodDays', 'reviewPeriodDays', 0)}
        </Setting>
        <Setting
          field="deliveryGraceDays"
          label={t('policy.deliveryGrace')}
          editable={editable.has('deliveryGraceDays')}
          value={days(policy.deliveryGraceDays)}
          help={deliveryGraceHelp(typedDays('deliveryGraceDays'))}
          error={errorOf('deliveryGraceDays')}
        >
          <label for="policy-deliveryGraceDays">{t('policy.deliveryGrace')}</label>
          {numberInput('deliveryGraceDays', 'deliveryGraceDays', 0)}
        </Setting>
        <Setting
          field="autoApproveLimit"
          label={t('policy.autoApproveLimit', { currency: money })}
          editable={editable.has('autoApproveLimit')}
          value={
            policy.autoApproveLimit === null
              ? t('policy.autoApprove.none')
              : t('policy.autoApprove.upTo', { limit: formatMoney(policy.autoApproveLimit, money) })
          }
          help={autoApproveHelp(typedLimit, money)}
          error={errorOf('autoApproveLimit')}
        >
          <label class="policy-check">
            <input
              type="checkbox"
              name="autoApprove"
              checked={form.autoApprove}
              disabled={busy}
              onChange={(e) => edit({ autoApprove: (e.target as HTMLInputElement).checked })}
            />
            {t('policy.autoApprove')}
          </label>
          <label for="policy-autoApproveLimit">{t('policy.autoApproveLimit', { currency: money })}</label>
          {numberInput('autoApproveLimit', 'autoApproveLimit', currencyDigits(money))}
        </Setting>
        {canSave && (
          <div class="policy-actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('policy.save')}
            </button>
            <span role="status" data-testid="policy-status">
              {status === 'saved'
                ? t('policy.saved')
                : status === 'unchanged'
                  ? t('policy.unchanged')
                  : dirty
                    ? t('policy.unsaved')
                    : ''}
            </span>
          </div>
        )}
        {failure && (
          <p class="error" role="alert">
            {failure}
          </p>
        )}
      </form>
    </section>
  );
}
