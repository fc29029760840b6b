import { useEffect } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import { Banners } from './components/banners.tsx';
import { RecentScans } from './components/recent-scans.tsx';
import { ScannerModes } from './components/scanner-modes.tsx';
import { LanguagePicker, Settings } from './components/settings.tsx';
import { Tiles } from './components/tiles.tsx';
import { WasteForm } from './components/waste-form.tsx';
import { WeighFlow } from './components/weigh-flow.tsx';
import { loaded, view, type View } from './state.ts';

const TABS: View[] = ['stock', 'waste', 'weigh', 'settings'];

function Screen() {
  switch (view.value) {
    case 'waste':
      return <WasteForm />;
    case 'weigh':
      return <WeighFlow />;
    case 'settings':
      return <Settings />;
    default:
      return (
        <div class="layout">
          <Tiles />
          <div class="side">
            <ScannerModes />
            <RecentScans />
          </div>
        </div>
      );
  }
}

export function App() {
  useEffect(() => {
    if (!loaded.value) return;
    // The first render with data, for the browser test's first-render figure.
    performance.mark('staff-first-render');
  }, [loaded.value]);
  return (
    <>
      <a class="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header class="top">
        <h1>{t('app.title')}</h1>
        <nav class="tabs" aria-label={t('nav.label')}>
          {TABS.map((tab) => (
            <button
              type="button"
              key={tab}
              aria-current={view.value === tab ? 'page' : undefined}
              onClick={() => (view.value = tab)}
            >
              {t(`nav.${tab}`)}
            </button>
          ))}
        </nav>
        <LanguagePicker />
      </header>
      <Banners />
      <main id="main" tabIndex={-1}>
        {loaded.value ? <Screen /> : <p class="empty">{t('app.loading')}</p>}
      </main>
    </>
  );
}
