/** The real hardware drivers: HX711 load cell, USB HID barcode scanner, camera capture. */
export * from './optional-module.ts';
export * from './gpio/gpio-line.ts';
export * from './gpio/signal-patterns.ts';
export * from './scale-hx711/hx711.ts';
export * from './scale-hx711/reading-filter.ts';
export * from './scale-hx711/calibration.ts';
export * from './scale-hx711/scale-driver.ts';
export * from './hid-scanner/hid-usages.ts';
export * from './hid-scanner/keyboard-layouts.ts';
export * from './hid-scanner/boot-report-decoder.ts';
export * from './hid-scanner/barcode-framing.ts';
export * from './hid-scanner/hid-source.ts';
export * from './hid-scanner/scanner-driver.ts';
export * from './camera/capture-tool.ts';
export * from './camera/frame-encoder.ts';
export * from './camera/camera-driver.ts';
