import { useState } from 'preact/hooks';
import { locale, LOCALES, t, type Locale } from '../../shared/i18n.ts';
import { chooseLocale } from '../../shared/locale-storage.ts';
import { api, ApiError } from '../api.ts';
import { paired } from '../state.ts';

/** Language, remembered on this device. */
export function LanguagePicker() {
  return (
    <label for="language" style={{ display: 'flex', alignItems: 'center', gap: '8px' }}>
      <span>{t('settings.language')}</span>
      <select
        id="language"
        value={locale.value}
        onChange={(e) => chooseLocale(e.currentTarget.value as Locale)}
      >
        {Object.entries(LOCALES).map(([tag, { label }]) => (
          <option key={tag} value={tag}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Pairing() {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    try {
      const result = await api.pair(code.trim(), name.trim() || t('pair.defaultName'));
      paired.value = { id: result.displayId, name: result.name };
      setError(null);
      setCode('');
    } catch (e) {
      setError(
        e instanceof ApiError
          ? t(e.code === 'bad_code' ? 'pair.badCode' : 'pair.failed')
          : t('error.network'),
      );
    }
  }

  return (
    <section class="panel" aria-labelledby="pair-title">
      <h2 id="pair-title">{t('pair.title')}</h2>
      {paired.value ? (
        <p class="status ok">{t('pair.done', { name: paired.value.name })}</p>
      ) : (
        <form class="card" onSubmit={(e) => void submit(e)}>
          <p>{t('pair.explain')}</p>
          <label for="pair-code">
            {t('pair.code')}
            <input
              id="pair-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{8}"
              maxLength={8}
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
              required
            />
          </label>
          <label for="pair-name">
            {t('pair.name')}
            <input
              id="pair-name"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              maxLength={60}
            />
          </label>
          <button type="submit" class="primary">
            {t('pair.submit')}
          </button>
          {error && (
            <p class="status error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

/** Settings: pairing (the language picker is in the header on every screen). */
export function Settings() {
  return (
    <div style={{ display: 'grid', gap: '20px', maxWidth: '640px' }}>
      <Pairing />
    </div>
  );
}
