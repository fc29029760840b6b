import { extname } from 'node:path';
import QRCode from 'qrcode';
import type { DeviceBundle } from '@pourcast/protocol';
import { CliError, EXIT_INVALID } from './cli-kit.ts';
import { writePrivateFile } from './write-provisioning.ts';

/**
 * A device bundle as a QR code, for a device (or a technician's phone) to read instead of copying a file:
 * the code holds the bundle's JSON exactly as the file does, so whatever reads it hands the text to the
 * same loader (`--bundle`, deviceBundleSchema). It carries the device secret in clear, like the file.
 */
export const bundleQrText = (bundle: DeviceBundle): string => JSON.stringify(bundle);

/** Error correction M (15 %): a label that gets scuffed on a bar still reads. */
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

export type QrFormat = 'svg' | 'png';

export function qrFormat(path: string): QrFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg' || ext === '.png') return ext.slice(1) as QrFormat;
  throw new CliError(
    'unknown QR format',
    [`qr: ${path} must end in .svg or .png (or - for the terminal)`],
    EXIT_INVALID,
  );
}

export async function renderBundleQr(bundle: DeviceBundle, format: QrFormat): Promise<Buffer> {
  const text = bundleQrText(bundle);
  if (format === 'png') return QRCode.toBuffer(text, { ...QR_OPTIONS, type: 'png', scale: 6 });
  return Buffer.from(await QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' }), 'utf8');
}

/** Writes the QR image (0600: it holds the secret). */
export async function writeBundleQr(path: string, bundle: DeviceBundle): Promise<void> {
  await writePrivateFile(path, await renderBundleQr(bundle, qrFormat(path)));
}

/** The QR code in block characters, for a terminal (small: two modules per character row). */
export function terminalBundleQr(bundle: DeviceBundle): Promise<string> {
  return QRCode.toString(bundleQrText(bundle), { ...QR_OPTIONS, type: 'terminal', small: true });
}
