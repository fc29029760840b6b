import { describe, expect, it } from 'vitest';
import { cameraSettings, parseCameraArgs } from '../camera/camera-args.ts';
import { pourcastShelfCamera } from '../../definitions/index.ts';
import { parseScannerArgs } from '../hid-scanner/scanner-args.ts';
import { parseScaleArgs } from '../scale-hx711/scale-args.ts';
import { UsageError } from './driver-cli.ts';

describe('scale arguments', () => {
  it('reads pins, gain, rate and an initial calibration', () => {
    const args = parseScaleArgs(
      ['--bundle', 'b.json', '--data-pin', '5', '--clock-pin', '6', '--gain', 'A64', '--rate', '80'].concat([
        '--offset=-8000',
        '--factor',
        '420.5',
        '--gpio-base',
        '512',
      ]),
    );
    expect(args).toMatchObject({
      bundlePath: 'b.json',
      dataPin: 5,
      clockPin: 6,
      gain: 'A64',
      rate: 80,
      calibration: { offset: -8000, factor: 420.5 },
      gpioBase: 512,
      mqtt: 'auto',
    });
  });

  it.each([
    [['--bundle', 'b.json', '--data-pin', '5'], '--clock-pin is required'],
    [
      ['--bundle', 'b.json', '--data-pin', '5', '--clock-pin', '40'],
      '--clock-pin must be between 0 and 27, got 40',
    ],
    [
      ['--bundle', 'b.json', '--data-pin', '5', '--clock-pin', '5'],
      '--data-pin and --clock-pin must be different pins',
    ],
    [
      ['--bundle', 'b.json', '--data-pin', '5', '--clock-pin', '6', '--offset', '1'],
      '--offset and --factor go together',
    ],
    [
      ['--bundle', 'b.json', '--data-pin', 'five', '--clock-pin', '6'],
      '--data-pin must be a whole number, got "five"',
    ],
    [
      ['--bundle', 'b.json', '--data-pin', '5', '--clock-pin', '6', '--gain', 'A32'],
      '--gain must be one of A128, A64, B32, got "A32"',
    ],
  ])('%j → %s', (argv, message) => {
    expect(() => parseScaleArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('scanner arguments', () => {
  it('defaults to HID, US layout, Enter-terminated, the model’s scan mode', () => {
    expect(parseScannerArgs(['--bundle', 'b.json'])).toMatchObject({
      input: { kind: 'hid', device: undefined },
      layout: 'us',
      terminator: 'enter',
      mode: undefined,
      signalPins: [],
    });
  });

  it('reads stdin mode, framing and signal pins', () => {
    const args = parseScannerArgs([
      '--bundle',
      'b.json',
      '--stdin',
      '--prefix',
      ']E0',
      '--terminator',
      'tab',
      '--led-pin',
      '17',
      '--buzzer-pin',
      '27',
    ]);
    expect(args).toMatchObject({
      input: { kind: 'stdin' },
      prefix: ']E0',
      terminator: 'tab',
      signalPins: [17, 27],
    });
  });

  it.each([
    [['--bundle', 'b.json', '--stdin', '--hid', '05e0:1200'], '--stdin and --hid exclude each other'],
    [['--bundle', 'b.json', '--layout', 'dvorak'], '--layout must be one of us, de, fr, got "dvorak"'],
    [
      ['--bundle', 'b.json', '--stdin', '--layout', 'fr'],
      '--layout applies to HID mode; in --stdin mode the OS keyboard layout applies',
    ],
    [['--bundle', 'b.json', '--mode', 'sell'], '--mode must be one of count, receive, waste, got "sell"'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseScannerArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('camera arguments', () => {
  it('takes size and interval from the model unless given, rpicam-still by default', () => {
    const args = parseCameraArgs(['--bundle', 'b.json', '--width', '640']);
    const camera = { ...pourcastShelfCamera, camera: { width: 1920, height: 1080, frameIntervalMs: 5000 } };
    expect(cameraSettings(args, camera)).toEqual({
      intervalMs: 5000,
      quality: 80,
      capture: { tool: 'rpicam-still', width: 640, height: 1080, settleMs: 1000 },
    });
    expect(cameraSettings(args, undefined).intervalMs).toBe(2000);
  });

  it.each([
    [['--bundle', 'b.json', '--interval', '5'], '--interval must be between 100 and 3600000, got 5'],
    [
      ['--bundle', 'b.json', '--tool', 'raspistill'],
      '--tool must be one of rpicam-still, libcamera-still, fswebcam, got "raspistill"',
    ],
    [['--bundle', 'b.json', '--mqtt', '3'], '--mqtt must be one of auto, 5, 3.1.1, got "3"'],
    [['--interval', '500'], '--bundle is required'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseCameraArgs(argv)).toThrow(new UsageError(message));
  });
});
