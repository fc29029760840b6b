import { render } from 'preact';
import { useCatalogs } from '../shared/i18n.ts';
import { restoreLocale } from '../shared/locale-storage.ts';
import { App } from './app.tsx';
import { MANAGER_CATALOGS } from './catalogs/index.ts';
import { applyTheme, theme } from './state.ts';
import './styles.css';

useCatalogs(MANAGER_CATALOGS);
restoreLocale();
applyTheme(theme.value);
render(<App />, document.getElementById('app')!);
