export * from './definitions/index.ts';
export * from './mqtt-device.ts';
export * from './link/backoff.ts';
export * from './link/device-log.ts';
export { ConnectRefusedError } from './link/open-session.ts';
export * from './sim/index.ts';
export * from './camera/index.ts';
