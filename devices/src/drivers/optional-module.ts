/**
 * Hardware libraries (`onoff`, `node-hid`) are optionalDependencies: they build native code and only
 * make sense on a Pi, so the devices package must install and test without them. Drivers load them
 * here, on first use, and fail with one sentence a technician can act on.
 */
export class MissingHardwareModuleError extends Error {
  override readonly name = 'MissingHardwareModuleError';
  constructor(
    readonly moduleName: string,
    message: string,
  ) {
    super(message);
  }
}

export interface OptionalModuleOptions {
  /** What the module is needed for, e.g. "the HX711 scale driver (GPIO)". */
  purpose: string;
  /** How to get it working, e.g. the OS packages to install. */
  hint: string;
  /** The loader; tests pass one that fails. Defaults to a dynamic `import()`. */
  load?: (name: string) => Promise<unknown>;
}

export async function importOptionalModule<T>(name: string, options: OptionalModuleOptions): Promise<T> {
  const load = options.load ?? ((moduleName: string) => import(moduleName));
  try {
    return (await load(name)) as T;
  } catch (error) {
    const cause = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new MissingHardwareModuleError(
      name,
      `${name} is needed for ${options.purpose} but could not be loaded (${cause}). ${options.hint}`,
    );
  }
}
