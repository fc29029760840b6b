import { t } from '../../shared/i18n.ts';
import { initials, setInitials } from '../staff-initials.ts';

/** The initials input shared by the waste form and the scans list. */
export function InitialsField({ id }: { id: string }) {
  return (
    <label for={id}>
      {t('staff.initials')}
      <input
        id={id}
        class="initials"
        value={initials.value}
        onInput={(e) => setInitials(e.currentTarget.value)}
        maxLength={4}
        autoComplete="off"
        autoCapitalize="characters"
        pattern="[A-Za-z]{2,4}"
        size={5}
        required
      />
    </label>
  );
}
