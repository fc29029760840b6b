import { useState } from 'preact/hooks';
import { WASTE_ENTRY_REASONS, type WasteEntryReason } from '@pourcast/protocol';
import { formatVolume, t } from '../../shared/i18n.ts';
import { api, ApiError } from '../api.ts';
import { addRecent, items, paired, view } from '../state.ts';
import { initials, validInitials } from '../staff-initials.ts';
import { downscalePhoto, PHOTO_MAX_BYTES, PHOTO_MAX_SIDE, toBase64 } from '../waste-photo.ts';
import { InitialsField } from './initials-field.tsx';
import { failureText } from './action-status.tsx';

const QUICK_ML = [25, 30, 50, 100];

/** Waste entry: reason, who, item, amount; becomes a waste event in the gateway's ledger. */
export function WasteForm() {
  const [reason, setReason] = useState<WasteEntryReason | null>(null);
  const [itemId, setItemId] = useState('');
  const [ml, setMl] = useState('');
  const [sealed, setSealed] = useState(false);
  const [note, setNote] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [photoKey, setPhotoKey] = useState(0);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const item = items.value.find((i) => i.id === itemId);

  if (!paired.value)
    return (
      <section class="panel">
        <h2>{t('waste.title')}</h2>
        <p>{t('pair.needed')}</p>
        <button type="button" class="primary" onClick={() => (view.value = 'settings')}>
          {t('pair.go')}
        </button>
      </section>
    );

  async function submit(event: Event) {
    event.preventDefault();
    const amount = sealed && item ? item.containerMl : Number(ml);
    if (!reason) return setStatus({ text: t('waste.pickReason'), error: true });
    if (!item) return setStatus({ text: t('waste.pickItem'), error: true });
    if (!Number.isInteger(amount) || amount <= 0)
      return setStatus({ text: t('waste.pickAmount'), error: true });
    if (!validInitials(initials.value)) return setStatus({ text: t('staff.initialsNeeded'), error: true });
    setBusy(true);
    let image: string | null = null;
    if (photo) {
      const scaled = await downscalePhoto(photo, PHOTO_MAX_SIDE);
      if (scaled.size > PHOTO_MAX_BYTES) {
        setBusy(false);
        return setStatus({ text: t('waste.photoTooBig'), error: true });
      }
      image = await toBase64(scaled);
    }
    try {
      const { event: recorded } = await api.waste({
        itemId: item.id,
        ml: amount,
        reason,
        sealedBottle: sealed,
        staff: initials.value,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      addRecent({ event: recorded, itemName: item.name, undone: false, undoOf: null });
      const saved = t('waste.saved', { amount: formatVolume(amount), item: item.name });
      let photoError: string | null = null;
      if (image)
        await api.wastePhoto(recorded.id, image).catch((error: unknown) => {
          photoError = failureText(error);
        });
      setStatus(
        photoError
          ? { text: `${saved} ${t('waste.photoFailed', { reason: photoError })}`, error: true }
          : { text: saved, error: false },
      );
      setPhoto(null);
      setPhotoKey((k) => k + 1);
      setReason(null);
      setMl('');
      setSealed(false);
      setNote('');
    } catch (error) {
      const text = error instanceof ApiError ? error.reason : t('error.network');
      setStatus({ text, error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="waste-title">
      <h2 id="waste-title">{t('waste.title')}</h2>
      <form class="card" onSubmit={(e) => void submit(e)}>
        <fieldset class="choices">
          <legend>{t('waste.reason')}</legend>
          {WASTE_ENTRY_REASONS.map((r) => (
            <button type="button" key={r} aria-pressed={reason === r} onClick={() => setReason(r)}>
              {t(`reason.${r}`)}
            </button>
          ))}
        </fieldset>
        <InitialsField id="waste-initials" />
        <label for="waste-item">
          {t('waste.item')}
          <select id="waste-item" value={itemId} onChange={(e) => setItemId(e.currentTarget.value)}>
            <option value="">{t('waste.chooseItem')}</option>
            {items.value.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="choices">
          <legend>{t('waste.amount')}</legend>
          {QUICK_ML.map((q) => (
            <button
              type="button"
              key={q}
              aria-pressed={!sealed && ml === String(q)}
              onClick={() => {
                setSealed(false);
                setMl(String(q));
              }}
            >
              {formatVolume(q)}
            </button>
          ))}
          <button type="button" aria-pressed={sealed} onClick={() => setSealed(!sealed)}>
            {t('waste.wholeBottle')}
          </button>
        </fieldset>
        {!sealed && (
          <label for="waste-ml">
            {t('waste.ml')}
            <input
              id="waste-ml"
              type="number"
              inputMode="numeric"
              min={1}
              max={100000}
              value={ml}
              onInput={(e) => setMl(e.currentTarget.value)}
            />
          </label>
        )}
        <label for="waste-note">
          {t('waste.note')}
          <input
            id="waste-note"
            value={note}
            maxLength={200}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </label>
        <label for="waste-photo">
          {t('waste.photo')}
          <input
            key={photoKey}
            id="waste-photo"
            type="file"
            accept="image/*"
            capture="environment"
            onChange={(e) => setPhoto(e.currentTarget.files?.[0] ?? null)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {t('waste.submit')}
        </button>
        {status && (
          <p class={status.error ? 'status error' : 'status ok'} role="status">
            {status.text}
          </p>
        )}
      </form>
    </section>
  );
}
