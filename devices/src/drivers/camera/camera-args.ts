import {
  choiceOption,
  COMMON_OPTIONS,
  COMMON_USAGE,
  mqttOption,
  numberOption,
  optionalText,
  parseDriverArgs,
  requiredText,
} from '../cli/driver-cli.ts';
import type { DeviceDefinition } from '../../definitions/index.ts';
import { CAPTURE_TOOLS, type CaptureTool, type CaptureToolOptions } from './capture-tool.ts';

export const CAMERA_USAGE = `Shelf camera: captures stills and publishes them as JPEG frames over MQTT.

usage: tsx devices/src/drivers/camera/main.ts --bundle <file> [options]

${COMMON_USAGE}
  --tool rpicam-still|libcamera-still|fswebcam   capture program (default rpicam-still)
  --tool-path <path>     run this executable instead of the tool's name on PATH
  --device <path>        V4L2 device for fswebcam (default /dev/video0)
  --interval <ms>        between captures until the config sets it (100-3600000; default: the model's, 2000)
  --width <px>           frame width (default: the model's, 1280)
  --height <px>          frame height (default: the model's, 720)
  --settle-ms <ms>       exposure settling before each still (default 1000)
  --quality <1-100>      JPEG quality of published frames (default 80)`;

const CAMERA_OPTIONS = {
  ...COMMON_OPTIONS,
  tool: { type: 'string' },
  'tool-path': { type: 'string' },
  device: { type: 'string' },
  interval: { type: 'string' },
  width: { type: 'string' },
  height: { type: 'string' },
  'settle-ms': { type: 'string' },
  quality: { type: 'string' },
} as const;

export function parseCameraArgs(argv: string[]) {
  const values = parseDriverArgs(argv, CAMERA_OPTIONS);
  const toolPath = optionalText(values, 'tool-path');
  const device = optionalText(values, 'device');
  return {
    bundlePath: requiredText(values, 'bundle'),
    mqtt: mqttOption(values),
    intervalMs: numberOption(values, 'interval', { min: 100, max: 3_600_000, integer: true }),
    quality: numberOption(values, 'quality', { min: 1, max: 100, integer: true, fallback: 80 })!,
    capture: {
      tool: choiceOption<CaptureTool>(values, 'tool', CAPTURE_TOOLS, 'rpicam-still'),
      width: numberOption(values, 'width', { min: 16, max: 8192, integer: true }),
      height: numberOption(values, 'height', { min: 16, max: 8192, integer: true }),
      settleMs: numberOption(values, 'settle-ms', { min: 1, max: 30_000, integer: true, fallback: 1_000 })!,
      ...(toolPath ? { command: [toolPath] } : {}),
      ...(device ? { device } : {}),
    },
  };
}

/** Fills what the command line left out from the model's definition (devices/src/definitions). */
export function cameraSettings(
  args: ReturnType<typeof parseCameraArgs>,
  definition: DeviceDefinition | undefined,
): { capture: CaptureToolOptions; intervalMs: number; quality: number } {
  const model = definition?.camera;
  return {
    intervalMs: args.intervalMs ?? model?.frameIntervalMs ?? 2_000,
    quality: args.quality,
    capture: {
      ...args.capture,
      width: args.capture.width ?? model?.width ?? 1280,
      height: args.capture.height ?? model?.height ?? 720,
    },
  };
}
