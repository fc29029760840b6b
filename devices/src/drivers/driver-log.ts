/** Drivers log one line per event to stderr; never secrets (the bundle's secret is never passed in). */
export type LogLevel = 'info' | 'warn' | 'error';
export type DriverLog = (level: LogLevel, message: string) => void;

export function stderrLog(deviceId: string): DriverLog {
  return (level, message) => {
    process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} ${deviceId} ${message}\n`);
  };
}

export const silentLog: DriverLog = () => {};
