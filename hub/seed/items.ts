import type { ItemInput } from '@pourcast/protocol';
import { ean13 } from './ean.ts';

/**
 * The demo bar's range. Barcodes are made-up but valid EAN-13s (GS1 prefixes of the brand's country);
 * densities: 40% ABV spirits ≈ 0.95 g/ml, liqueurs 1.05-1.1, wine 0.99, beer 1.01. Costs are per container.
 */
type DemoItem = Required<Pick<ItemInput, 'name' | 'category' | 'containerMl' | 'cost'>> &
  Pick<ItemInput, 'emptyWeightG' | 'densityGPerMl' | 'unit'> & {
    barcodes: string[];
    parLevelMl: number;
  };

const spirit = (
  name: string,
  containerMl: number,
  emptyWeightG: number,
  cost: number,
  barcode12: string,
  parBottles = 3,
): DemoItem => ({
  name,
  category: 'spirit',
  containerMl,
  emptyWeightG,
  densityGPerMl: 0.95,
  cost,
  barcodes: [ean13(barcode12)],
  parLevelMl: parBottles * containerMl,
});

const liqueur = (
  name: string,
  containerMl: number,
  emptyWeightG: number,
  densityGPerMl: number,
  cost: number,
  barcode12: string,
): DemoItem => ({
  name,
  category: 'liqueur',
  containerMl,
  emptyWeightG,
  densityGPerMl,
  cost,
  barcodes: [ean13(barcode12)],
  parLevelMl: 2 * containerMl,
});

const bottle = (
  category: 'wine' | 'sparkling' | 'beer',
  name: string,
  containerMl: number,
  emptyWeightG: number,
  cost: number,
  barcode12: string,
  parBottles: number,
): DemoItem => ({
  name,
  category,
  containerMl,
  emptyWeightG,
  densityGPerMl: category === 'beer' ? 1.01 : 0.99,
  cost,
  barcodes: [ean13(barcode12)],
  parLevelMl: parBottles * containerMl,
});

const keg = (
  name: string,
  containerMl: number,
  emptyWeightG: number,
  cost: number,
  barcode12: string,
): DemoItem => ({
  name,
  category: 'keg',
  containerMl,
  emptyWeightG,
  densityGPerMl: 1.01,
  cost,
  barcodes: [ean13(barcode12)],
  parLevelMl: 2 * containerMl,
});

/**
 * Bottled beer sold and counted by the bottle (unit `unit`, containerMl 1): its stock, par, sales and waste
 * are counted in bottles, so the screens, reports and exports show units beside the liquids' ml.
 */
const countable = (name: string, cost: number, barcode12: string, parUnits: number): DemoItem => ({
  name,
  category: 'beer',
  containerMl: 1,
  unit: 'unit',
  cost,
  barcodes: [ean13(barcode12)],
  parLevelMl: parUnits,
});

/** The demo's countable (see `countable`). */
export const DEMO_COUNTABLE = countable('Estrella Damm 330 ml (by the bottle)', 1.15, '841070000423', 48);

export const DEMO_ITEMS: DemoItem[] = [
  spirit('Tanqueray London Dry Gin', 700, 560, 21.5, '500029700001', 4),
  spirit("Hendrick's Gin", 700, 640, 27.9, '500029700018'),
  spirit('Beefeater London Dry Gin', 1000, 690, 19.8, '500029700025', 4),
  spirit('Bombay Sapphire', 700, 590, 22.4, '500029700032'),
  spirit('Absolut Vodka', 1000, 650, 17.9, '731231000041', 4),
  spirit('Grey Goose Vodka', 700, 720, 33.5, '308002000058', 2),
  spirit('Ketel One Vodka', 700, 600, 24.9, '871068000065'),
  spirit('Smirnoff No. 21 Vodka', 1750, 930, 29.5, '500029700072', 2),
  spirit('Bacardi Carta Blanca', 1000, 640, 18.6, '501044000089', 4),
  spirit('Havana Club 7 Años', 700, 560, 24.2, '850000000096'),
  spirit('Diplomático Reserva Exclusiva', 700, 830, 31.9, '759100000102', 2),
  spirit('Jameson Irish Whiskey', 700, 520, 22.9, '501101300119', 4),
  spirit("Jack Daniel's Old No. 7", 1000, 700, 26.4, '008218400126', 3),
  spirit("Maker's Mark", 700, 690, 27.5, '008506800133', 2),
  spirit('Johnnie Walker Black Label', 700, 610, 30.9, '500026700140', 2),
  spirit('Glenfiddich 12 Year Old', 700, 640, 34.9, '501089400157', 2),
  spirit('Buffalo Trace Bourbon', 750, 560, 28.4, '008024400164', 2),
  spirit('Patrón Silver Tequila', 700, 900, 39.9, '721733000171', 2),
  spirit('Olmeca Altos Plata', 700, 610, 23.9, '750001300188', 3),
  spirit('Del Maguey Vida Mezcal', 700, 620, 36.5, '750301000195', 1),
  spirit('Hennessy VS Cognac', 700, 660, 32.9, '301324000201', 2),
  liqueur('Cointreau', 700, 720, 1.07, 24.5, '308747000218'),
  liqueur('Campari', 1000, 620, 1.06, 19.9, '800200000225'),
  liqueur('Aperol', 700, 560, 1.05, 15.9, '800200000232'),
  liqueur('Kahlúa Coffee Liqueur', 700, 620, 1.1, 17.5, '501014000249'),
  liqueur('Baileys Original Irish Cream', 700, 540, 1.09, 18.9, '501101300256'),
  liqueur('Disaronno Originale', 700, 660, 1.09, 21.9, '800115300263'),
  liqueur('St-Germain Elderflower', 700, 740, 1.1, 29.9, '308835000270'),
  bottle('wine', 'Casillero del Diablo Cabernet Sauvignon', 750, 480, 8.9, '780432000287', 12),
  bottle('wine', 'Oyster Bay Sauvignon Blanc', 750, 470, 10.5, '941800000294', 12),
  bottle('wine', 'Whispering Angel Côtes de Provence Rosé', 750, 520, 17.9, '376001000300', 6),
  bottle('wine', 'Santa Margherita Pinot Grigio', 750, 500, 14.5, '800396000317', 6),
  bottle('sparkling', 'Moët & Chandon Impérial Brut', 750, 900, 34.9, '325200000324', 6),
  bottle('sparkling', 'La Marca Prosecco', 750, 850, 11.9, '808283000331', 12),
  bottle('sparkling', 'Freixenet Cordon Negro Cava', 750, 870, 9.5, '841077000348', 12),
  bottle('beer', 'Heineken Lager', 330, 230, 1.1, '871050000355', 48),
  bottle('beer', 'Corona Extra', 355, 260, 1.3, '750106400362', 48),
  bottle('beer', 'Peroni Nastro Azzurro', 330, 240, 1.2, '800257000379', 48),
  bottle('beer', 'Sierra Nevada Pale Ale', 355, 250, 1.6, '008325400386', 24),
  DEMO_COUNTABLE,
  keg('Guinness Draught Keg 50 L', 50000, 13000, 189, '500021300393'),
  keg('Heineken Keg 20 L', 20000, 7800, 82, '871050000409'),
  keg('Camden Hells Lager Keg 30 L', 30000, 10200, 126, '506035800416'),
];
