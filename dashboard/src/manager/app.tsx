import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { isLocale, locale, LOCALES, t, type Locale } from '../shared/i18n.ts';
import { chooseLocale } from '../shared/locale-storage.ts';
import { clearApiCache, hub, ok } from './api.ts';
import { hrefOf, screen, type Screen } from './router.ts';
import { logout, role, session } from './session.ts';
import { applyTheme, barId, bars, can, chooseBar, currency, theme } from './state.ts';
import { AlertsView } from './views/alerts-view.tsx';
import { GatewaysView } from './views/gateways-view.tsx';
import { ItemView } from './views/item-view.tsx';
import { LoginView } from './views/login.tsx';
import { OrdersView } from './views/orders-view.tsx';
import { OverviewView } from './views/overview-view.tsx';
import { ReportsView } from './views/reports-view.tsx';
import { SalesImportView } from './views/sales-import-view.tsx';
import { StockView } from './views/stock-view.tsx';
import { VarianceView } from './views/variance-view.tsx';
import { WasteView } from './views/waste-view.tsx';

/** The screens in the navigation, each shown only to roles with the right the hub checks for it. */
const NAV: readonly { screen: Screen['name']; visible: () => boolean }[] = [
  { screen: 'overview', visible: () => true },
  { screen: 'stock', visible: () => can('stock:read') },
  { screen: 'variance', visible: () => can('variance:read') },
  { screen: 'waste', visible: () => can('waste:read') },
  { screen: 'orders', visible: () => can('orders:read') },
  { screen: 'alerts', visible: () => true },
  { screen: 'gateways', visible: () => can('gateways:read') },
  { screen: 'reports', visible: () => can('reports:read') },
  { screen: 'sales-import', visible: () => can('pos:manage') },
];

/** The hub could not keep the language just chosen (it still applies on this device). */
const localeUnsaved = signal(false);

/** Switches language now and keeps it on the user's profile, so every browser they log in from speaks it. */
async function chooseUserLocale(next: Locale) {
  chooseLocale(next);
  try {
    await ok(await hub.auth.me.$patch({ json: { locale: next } }));
    localeUnsaved.value = false;
  } catch {
    localeUnsaved.value = true;
  }
}

export function App() {
  if (!session.value) return <LoginView />;
  return <Shell />;
}

function Shell() {
  const userId = session.value?.user.id;
  useEffect(() => {
    // The language the user chose last, on any device; none yet: what this browser had.
    void (async () => {
      const me = await ok(await hub.auth.me.$get());
      if (me.locale && me.locale !== locale.value) chooseLocale(me.locale);
    })().catch(() => undefined);
    void (async () => {
      bars.value = await ok(await hub.locations.$get());
      const context = await ok(await hub.reports.context.$get());
      currency.value = context.currency;
    })().catch(() => undefined);
  }, [userId]);
  const current = screen.value;
  const allowed = NAV.find((entry) => entry.screen === current.name)?.visible() ?? current.name === 'item';
  const id = barId.value;
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          // The URL hash names the screen: moving focus must not navigate to "#main".
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skip')}
      </a>
      <header class="topbar">
        <strong class="brand">{t('app.title')}</strong>
        <label>
          <span class="visually-hidden">{t('app.bar')}</span>
          <select
            value={id ?? ''}
            onChange={(e) => chooseBar((e.target as HTMLSelectElement).value)}
            data-testid="bar-picker"
          >
            {bars.value.map((bar) => (
              <option key={bar.id} value={bar.id}>
                {bar.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="visually-hidden">{t('app.language')}</span>
          <select
            value={locale.value}
            onChange={(e) => {
              const next = (e.target as HTMLSelectElement).value;
              if (isLocale(next)) void chooseUserLocale(next);
            }}
            data-testid="language"
          >
            {(Object.keys(LOCALES) as Locale[]).map((code) => (
              <option key={code} value={code}>
                {LOCALES[code].label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          aria-pressed={theme.value === 'dark'}
          onClick={() => applyTheme(theme.value === 'dark' ? 'light' : 'dark')}
          data-testid="theme"
        >
          {t('app.darkMode')}
        </button>
        <span class="user">
          {session.value?.user.name} · {t(`role.${role.value}`)}
        </span>
        <button
          type="button"
          onClick={() => {
            clearApiCache();
            logout();
          }}
          data-testid="logout"
        >
          {t('app.logout')}
        </button>
      </header>
      {localeUnsaved.value && (
        <p role="alert" class="error">
          {t('app.languageUnsaved')}
        </p>
      )}
      <nav aria-label={t('app.navigation')}>
        <ul>
          {NAV.filter((entry) => entry.visible()).map((entry) => (
            <li key={entry.screen}>
              <a
                href={hrefOf({ name: entry.screen } as Screen)}
                aria-current={current.name === entry.screen ? 'page' : undefined}
              >
                {t(`nav.${entry.screen}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {!allowed ? (
          <p role="alert">{t('error.forbidden')}</p>
        ) : id === null ? (
          <p class="muted">{t('app.noBars')}</p>
        ) : (
          <Screen screen={current} barId={id} />
        )}
      </main>
    </>
  );
}

function Screen(props: { screen: Screen; barId: string }) {
  const { screen: s, barId: id } = props;
  switch (s.name) {
    case 'overview':
      return <OverviewView barId={id} />;
    case 'stock':
      return <StockView barId={id} />;
    case 'item':
      return <ItemView barId={id} itemId={s.itemId} />;
    case 'variance':
      return <VarianceView barId={id} />;
    case 'waste':
      return <WasteView barId={id} />;
    case 'orders':
      return <OrdersView barId={id} />;
    case 'alerts':
      return <AlertsView />;
    case 'gateways':
      return <GatewaysView />;
    case 'reports':
      return <ReportsView />;
    case 'sales-import':
      return <SalesImportView barId={id} />;
  }
}
