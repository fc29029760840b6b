export * from './topics.ts';
export * from './ids.ts';
export * from './device-messages.ts';
export * from './stock-event.ts';
export * from './hub-api.ts';
export * from './validation.ts';
export * from './provisioning.ts';
export * from './secrets.ts';
