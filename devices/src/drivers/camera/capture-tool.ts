import { spawn } from 'node:child_process';

/**
 * One still per process: the Pi camera through rpicam-still (libcamera-still before Raspberry Pi OS
 * Bookworm), a USB webcam through fswebcam. Each writes a JPEG to stdout (`-o -`, or `-` for fswebcam).
 */
export const CAPTURE_TOOLS = ['rpicam-still', 'libcamera-still', 'fswebcam'] as const;
export type CaptureTool = (typeof CAPTURE_TOOLS)[number];

export function isCaptureTool(value: string): value is CaptureTool {
  return (CAPTURE_TOOLS as readonly string[]).includes(value);
}

export interface CaptureToolOptions {
  tool: CaptureTool;
  width: number;
  height: number;
  /** V4L2 device for fswebcam. Default /dev/video0. */
  device?: string;
  /** Time the camera gets to settle exposure and white balance before the still (ms). Default 1000. */
  settleMs?: number;
  /** JPEG quality asked of the tool (1-100). Default 90. */
  quality?: number;
  /** Replaces the tool's executable: [program, ...leading args]. Default: the tool's name on PATH. */
  command?: readonly string[];
  /** A capture taking longer than this is killed (ms). Default 20000. */
  timeoutMs?: number;
}

export class CaptureError extends Error {
  override readonly name = 'CaptureError';
}

/** The command line for one still. */
export function captureCommand(options: CaptureToolOptions): { program: string; args: string[] } {
  const quality = String(options.quality ?? 90);
  const settleMs = options.settleMs ?? 1_000;
  const args =
    options.tool === 'fswebcam'
      ? [
          '--device',
          options.device ?? '/dev/video0',
          '--resolution',
          `${options.width}x${options.height}`,
          // fswebcam counts frames, not time: skip about one second's worth at a webcam's 30 fps.
          '--skip',
          String(Math.max(0, Math.round((settleMs / 1000) * 30))),
          '--no-banner',
          '--jpeg',
          quality,
          '--quiet',
          '-',
        ]
      : [
          '--nopreview',
          '--timeout',
          String(Math.max(1, settleMs)),
          '--width',
          String(options.width),
          '--height',
          String(options.height),
          '--encoding',
          'jpg',
          '--quality',
          quality,
          '--output',
          '-',
        ];
  const [program, ...leading] = options.command?.length ? options.command : [options.tool];
  return { program: program!, args: [...leading, ...args] };
}

/** JPEG files start with SOI, FF D8 (ITU-T T.81 Annex B.1.1.2). */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8;
}

/** Runs the tool once and returns the JPEG it wrote to stdout. */
export function captureJpeg(options: CaptureToolOptions): Promise<Buffer> {
  const { program, args } = captureCommand(options);
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new CaptureError(`${program} took longer than ${timeoutMs} ms and was stopped`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4_000) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new CaptureError(
          error.code === 'ENOENT'
            ? `${program} not found: install it (see docs/HARDWARE.md) or pass --tool-path`
            : `${program} could not start: ${error.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(chunks);
      if (code !== 0) {
        const detail = stderr.trim().split('\n').slice(-2).join(' | ');
        reject(new CaptureError(`${program} exited with ${code ?? signal}${detail ? `: ${detail}` : ''}`));
      } else if (!isJpeg(jpeg)) {
        reject(new CaptureError(`${program} wrote ${jpeg.length} bytes that are not a JPEG`));
      } else {
        resolve(jpeg);
      }
    });
  });
}
