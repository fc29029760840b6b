/** Devices and simulators log one line per event; never a secret (a bundle's secret is never passed in). */
export type DeviceLogLevel = 'info' | 'warn' | 'error';
export type DeviceLog = (level: DeviceLogLevel, message: string) => void;

export const silentDeviceLog: DeviceLog = () => {};

export function stderrDeviceLog(name: string): DeviceLog {
  return (level, message) => {
    process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} ${name} ${message}\n`);
  };
}
