export * from './definition.ts';
export * from './parts.ts';
export * from './define-device.ts';
export * from './models.ts';
export * from './registry.ts';
