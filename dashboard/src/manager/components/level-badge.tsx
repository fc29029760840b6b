import { t } from '../../shared/i18n.ts';
import type { Level } from '../stock-levels.ts';

/** The level as a word and a colour: never colour alone (WCAG 1.4.1). */
export function LevelBadge(props: { level: Level }) {
  return <span class={`badge level-${props.level}`}>{t(`level.${props.level}`)}</span>;
}
