import { defineDevice } from './define-device.ts';
import {
  RETAIL_SYMBOLOGIES,
  barcodeReader,
  connectedBy,
  loadCell,
  platforms,
  sampleRate,
  shelfCamera,
} from './parts.ts';

/** One bottle platform: a 5 kg bar load cell on an HX711 at 10 SPS. */
export const pourcastScaleHx711 = defineDevice({
  model: 'pourcast-scale-hx711',
  vendor: 'Pourcast',
  description: 'Bottle scale, one 5 kg platform, HX711 load-cell amplifier',
  extend: [
    loadCell({ maxG: 5_000, resolutionG: 0.1, noiseSigmaG: 0.2 }),
    platforms(1),
    sampleRate(10),
    connectedBy('gpio-hx711'),
  ],
});

/** A strip of four bottle platforms on one controller (a speed rail). */
export const pourcastRailScale4 = defineDevice({
  model: 'pourcast-rail-scale-4',
  vendor: 'Pourcast',
  description: 'Speed-rail scale, four 5 kg platforms, one HX711 per platform',
  extend: [
    loadCell({ maxG: 5_000, resolutionG: 0.1, noiseSigmaG: 0.2 }),
    platforms(4),
    sampleRate(10),
    connectedBy('gpio-hx711'),
  ],
});

/** A keg under the counter: 80 kg platform, coarser steps. */
export const pourcastKegScale = defineDevice({
  model: 'pourcast-keg-scale',
  vendor: 'Pourcast',
  description: 'Keg scale, one 80 kg platform',
  extend: [
    loadCell({ maxG: 80_000, resolutionG: 1, noiseSigmaG: 0.4 }),
    platforms(1),
    sampleRate(10),
    connectedBy('gpio-hx711'),
  ],
});

/** Any USB barcode scanner that types like a keyboard (HID boot protocol). */
export const genericHidScanner = defineDevice({
  model: 'generic-hid-scanner',
  vendor: 'Generic',
  description: 'USB HID (keyboard-wedge) barcode scanner',
  extend: [barcodeReader({ symbologies: RETAIL_SYMBOLOGIES, defaultMode: 'count' }), connectedBy('usb-hid')],
});

/** A shelf camera on the back bar, one frame every 2 s. */
export const pourcastShelfCamera = defineDevice({
  model: 'pourcast-shelf-camera',
  vendor: 'Pourcast',
  description: 'Back-bar shelf camera, 1280×720 JPEG',
  extend: [shelfCamera({ width: 1280, height: 720, frameIntervalMs: 2_000 }), connectedBy('wifi')],
});
