import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { genericHidScanner } from '../../definitions/index.ts';
import { MqttDevice } from '../../mqtt-device.ts';
import type { ScanFeedback } from '../gpio/signal-patterns.ts';
import { EAN_AZERTY, EAN_US, report } from '../test-support/recorded-hid-reports.ts';
import { startTestBroker, type Watcher } from '../../../test/support/aedes-broker.ts';
import type { HidReportSource } from './hid-source.ts';
import { ScannerDriver } from './scanner-driver.ts';

const ID = 'scanner-storeroom';

/** The hardware boundary: a HID device that emits recorded reports. */
class RecordedHidDevice extends EventEmitter implements HidReportSource {
  closed = false;
  play(reports: string[]): void {
    for (const hex of reports) this.emit('data', report(hex));
  }
  close(): void {
    this.closed = true;
  }
}

describe('HID scanner driver over a real broker', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let gateway: Watcher;
  let device: MqttDevice;
  let feedback: string[];
  const recordFeedback: ScanFeedback = {
    accepted: () => feedback.push('accepted'),
    rejected: () => feedback.push('rejected'),
  };

  beforeEach(async () => {
    broker = await startTestBroker();
    gateway = await broker.watcher();
    await gateway.watchDevice(ID);
    device = await MqttDevice.connect({
      bundle: broker.device(ID, 'scanner', 'generic-hid-scanner'),
      definition: genericHidScanner,
    });
    feedback = [];
  });

  afterEach(async () => {
    await device.close();
    await gateway.close();
    await broker.close();
  });

  const scans = () => gateway.on(ID, 'scan').map((m) => m.json() as Record<string, unknown>);

  it('publishes an AZERTY scanner’s EAN-13, then switches mode on set-scan-mode', async () => {
    const hid = new RecordedHidDevice();
    const driver = new ScannerDriver({ device, feedback: recordFeedback });
    driver.attachHid(hid, 'fr');

    hid.play(EAN_AZERTY);
    const [first] = await gateway.until(() => scans().length === 1 && scans());
    expect(first).toMatchObject({ seq: 0, barcode: '5012345678900', mode: 'count', quantity: 1 });

    await gateway.send(ID, 'cmd', { command: 'set-scan-mode', mode: 'receive', transaction: 'm1' });
    const ack = await gateway.until(() => gateway.on(ID, 'response').find((m) => m.json()));
    expect(ack.json()).toEqual({ status: 'ok', data: { mode: 'receive' }, transaction: 'm1' });

    hid.play(EAN_AZERTY);
    const second = await gateway.until(() => scans()[1]);
    expect(second).toMatchObject({ seq: 1, barcode: '5012345678900', mode: 'receive' });
    expect(feedback).toEqual(['accepted', 'accepted']);

    await driver.close();
    expect(hid.closed).toBe(true);
  });

  it('rejects a code read with the wrong layout and publishes nothing for it', async () => {
    const hid = new RecordedHidDevice();
    const driver = new ScannerDriver({ device, feedback: recordFeedback });
    driver.attachHid(hid, 'fr');
    hid.play(EAN_US); // digits unshifted on AZERTY: "(à&é"'(-è_çàà" is not a barcode
    hid.play(EAN_AZERTY);
    await gateway.until(() => scans().length === 1);
    await driver.idle();
    expect(scans()).toHaveLength(1);
    expect(feedback).toEqual(['rejected', 'accepted']);
    expect(driver.stats.rejected).toBe(1);
    await driver.close();
  });

  it('strips a configured prefix and takes the scan mode from the config', async () => {
    const hid = new RecordedHidDevice();
    const driver = new ScannerDriver({ device, framing: { prefix: '50' }, feedback: recordFeedback });
    driver.attachHid(hid, 'us');
    await gateway.send(ID, 'config', { configVersion: 1, scanMode: 'waste' });
    await gateway.until(() => gateway.on(ID, 'response').length === 1);
    expect(driver.scanMode).toBe('waste');
    hid.play(EAN_US);
    expect(await gateway.until(() => scans()[0])).toMatchObject({ barcode: '12345678900', mode: 'waste' });
    await driver.close();
  });

  it('reads a keyboard-mode scanner from a text stream (stdin mode)', async () => {
    const stdin = new PassThrough();
    const driver = new ScannerDriver({ device, mode: 'receive' });
    driver.attachText(stdin);
    stdin.write('4006381333931\r\n');
    stdin.write('\n'); // a stray Enter is no scan
    stdin.write('ab\n'); // too short for a barcode: refused by the protocol schema
    stdin.write('9780201379624\n');
    await gateway.until(() => scans().length === 2);
    await driver.close();
    expect(scans().map((s) => [s.barcode, s.mode])).toEqual([
      ['4006381333931', 'receive'],
      ['9780201379624', 'receive'],
    ]);
    expect(driver.stats.rejected).toBe(1);
  });
});
