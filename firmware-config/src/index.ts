export * from './provision.ts';
export * from './write-provisioning.ts';
export * from './migrations.ts';
export * from './load-gateway-config.ts';
export * from './json-schema.ts';
export * from './provision-demo.ts';
export { CONFIG_USAGE, runConfigCli } from './cli.ts';
