import { USER_LOCALES, type UserLocale } from '@pourcast/protocol';

/**
 * The hub's own words (what it writes into files a person reads: report exports), one catalog per
 * language. The wording follows the manager app's catalogs (dashboard/src/manager/catalogs) so a
 * download reads like the screen it came from. `{name}` marks a value put in at run time.
 */
const en = {
  'report.valuation': 'Inventory valuation',
  'report.variance': 'Variance',
  'report.usage': 'Usage',
  'report.waste': 'Waste',
  'report.orders': 'Orders',
  'column.bar': 'Bar',
  'column.item': 'Item',
  'column.category': 'Category',
  'column.unit': 'Unit',
  'column.onHandMl': 'On hand',
  'column.value': 'Value',
  'column.previousValue': 'Value at previous period end',
  'column.expectedMl': 'Expected',
  'column.measuredMl': 'Measured',
  'column.varianceMl': 'Variance',
  'column.varianceCost': 'Variance cost',
  'column.usedMl': 'Used',
  'column.soldMl': 'Sold',
  'column.usageCost': 'Usage cost',
  'column.reason': 'Reason',
  'column.wasteMl': 'Wasted',
  'column.events': 'Entries',
  'column.wasteCost': 'Waste cost',
  'column.supplier': 'Supplier',
  'column.status': 'Status',
  'column.created': 'Created',
  'column.total': 'Total',
  'unit.units': 'units',
  'total.stockValue': 'Stock value',
  'total.orders': 'Orders',
  'total.orderedValue': 'Ordered value',
  'status.draft': 'Draft',
  'status.approved': 'Approved',
  'status.sent': 'Sent',
  'status.partially_received': 'Partly received',
  'status.received': 'Received',
  'status.closed': 'Closed',
  'status.cancelled': 'Cancelled',
  'reason.spill': 'Spill',
  'reason.breakage': 'Breakage',
  'reason.comp': 'Comp',
  'reason.spoiled': 'Spoiled',
  'reason.expired': 'Expired',
  'reason.other': 'Other',
  'reason.unspecified': 'Unspecified',
  'header.period': '{from} to {to}',
  'header.compared': 'compared with {from} to {to}',
  'header.currency': 'currency {currency}',
  'totals.title': 'Totals',
  'totals.figure': 'Total',
  'totals.thisPeriod': 'This period',
  'totals.previousPeriod': 'Previous period',
} as const;

export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

const es: Catalog = {
  'report.valuation': 'Valoración del inventario',
  'report.variance': 'Varianza',
  'report.usage': 'Consumo',
  'report.waste': 'Mermas',
  'report.orders': 'Pedidos',
  'column.bar': 'Bar',
  'column.item': 'Artículo',
  'column.category': 'Categoría',
  'column.unit': 'Unidad',
  'column.onHandMl': 'Disponible',
  'column.value': 'Valor',
  'column.previousValue': 'Valor al final del periodo anterior',
  'column.expectedMl': 'Esperado',
  'column.measuredMl': 'Medido',
  'column.varianceMl': 'Varianza',
  'column.varianceCost': 'Coste de la varianza',
  'column.usedMl': 'Consumido',
  'column.soldMl': 'Vendido',
  'column.usageCost': 'Coste del consumo',
  'column.reason': 'Motivo',
  'column.wasteMl': 'Merma',
  'column.events': 'Registros',
  'column.wasteCost': 'Coste de la merma',
  'column.supplier': 'Proveedor',
  'column.status': 'Estado',
  'column.created': 'Creado',
  'column.total': 'Total',
  'unit.units': 'unidades',
  'total.stockValue': 'Valor del stock',
  'total.orders': 'Pedidos',
  'total.orderedValue': 'Valor pedido',
  'status.draft': 'Borrador',
  'status.approved': 'Aprobado',
  'status.sent': 'Enviado',
  'status.partially_received': 'Recibido en parte',
  'status.received': 'Recibido',
  'status.closed': 'Cerrado',
  'status.cancelled': 'Cancelado',
  'reason.spill': 'Derrame',
  'reason.breakage': 'Rotura',
  'reason.comp': 'Invitación',
  'reason.spoiled': 'Estropeado',
  'reason.expired': 'Caducado',
  'reason.other': 'Otro',
  'reason.unspecified': 'Sin especificar',
  'header.period': 'del {from} al {to}',
  'header.compared': 'comparado con el {from} al {to}',
  'header.currency': 'moneda {currency}',
  'totals.title': 'Totales',
  'totals.figure': 'Cifra',
  'totals.thisPeriod': 'Este periodo',
  'totals.previousPeriod': 'Periodo anterior',
};

const hi: Catalog = {
  'report.valuation': 'इन्वेंटरी मूल्यांकन',
  'report.variance': 'अंतर',
  'report.usage': 'खपत',
  'report.waste': 'बर्बादी',
  'report.orders': 'ऑर्डर',
  'column.bar': 'बार',
  'column.item': 'आइटम',
  'column.category': 'श्रेणी',
  'column.unit': 'इकाई',
  'column.onHandMl': 'उपलब्ध',
  'column.value': 'मूल्य',
  'column.previousValue': 'पिछली अवधि के अंत में मूल्य',
  'column.expectedMl': 'अपेक्षित',
  'column.measuredMl': 'मापा गया',
  'column.varianceMl': 'अंतर',
  'column.varianceCost': 'अंतर की लागत',
  'column.usedMl': 'खपत',
  'column.soldMl': 'बिका',
  'column.usageCost': 'खपत की लागत',
  'column.reason': 'कारण',
  'column.wasteMl': 'बर्बाद',
  'column.events': 'प्रविष्टियाँ',
  'column.wasteCost': 'बर्बादी की लागत',
  'column.supplier': 'सप्लायर',
  'column.status': 'स्थिति',
  'column.created': 'बनाया गया',
  'column.total': 'कुल',
  'unit.units': 'इकाइयाँ',
  'total.stockValue': 'स्टॉक का मूल्य',
  'total.orders': 'ऑर्डर',
  'total.orderedValue': 'ऑर्डर का मूल्य',
  'status.draft': 'ड्राफ़्ट',
  'status.approved': 'स्वीकृत',
  'status.sent': 'भेजा गया',
  'status.partially_received': 'आंशिक रूप से प्राप्त',
  'status.received': 'प्राप्त',
  'status.closed': 'बंद',
  'status.cancelled': 'रद्द',
  'reason.spill': 'छलकना',
  'reason.breakage': 'टूटना',
  'reason.comp': 'मुफ़्त दिया',
  'reason.spoiled': 'ख़राब',
  'reason.expired': 'एक्सपायर',
  'reason.other': 'अन्य',
  'reason.unspecified': 'अनिर्दिष्ट',
  'header.period': '{from} से {to} तक',
  'header.compared': '{from} से {to} तक से तुलना',
  'header.currency': 'मुद्रा {currency}',
  'totals.title': 'योग',
  'totals.figure': 'आँकड़ा',
  'totals.thisPeriod': 'यह अवधि',
  'totals.previousPeriod': 'पिछली अवधि',
};

export const CATALOGS = { en, es, hi } as const satisfies Record<string, Catalog>;
export type Language = keyof typeof CATALOGS;

/** The catalog a locale reads: every English variant shares one, Spanish and Hindi have theirs. */
export function languageOf(locale: UserLocale): Language {
  return locale === 'es' ? 'es' : locale === 'hi' ? 'hi' : 'en';
}

/** The locale files are written in when the caller has not chosen one. */
export const DEFAULT_LOCALE: UserLocale = 'en-US';
export const LOCALES = USER_LOCALES;

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/**
 * A code the hub stores (an order's status, a waste reason) in words, when the catalog has it; anything
 * else (a reason typed in by hand) as it is.
 */
export function codeWord(t: Translate, prefix: 'status' | 'reason', code: string): string {
  const key = `${prefix}.${code}`;
  return key in CATALOGS.en ? t(key as MessageKey) : code;
}

/** A `t(key, values)` for a locale; a `{name}` without a value is left as written (the tests catch it). */
export function translator(locale: UserLocale): Translate {
  const catalog: Catalog = CATALOGS[languageOf(locale)];
  return (key, values) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      values && name in values ? String(values[name]) : whole,
    );
}
