import { render } from 'preact';
import { useCatalogs } from '../shared/i18n.ts';
import { restoreLocale } from '../shared/locale-storage.ts';
import { api } from './api.ts';
import { App } from './app.tsx';
import { catalogs } from './catalogs/index.ts';
import { startLive } from './live.ts';
import { paired } from './state.ts';
import './styles.css';

useCatalogs(catalogs);
restoreLocale();
render(<App />, document.getElementById('app')!);
void startLive();
void api.me().then(
  (me) => (paired.value = me.display),
  () => {},
);
