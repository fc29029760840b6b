import { expect, it } from 'vitest';
import { clientErrorReason } from './client-errors.ts';

const withCode = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

it('counts what a peer did wrong, and not what is counted elsewhere or is no refusal', () => {
  expect(clientErrorReason(new Error('connect did not arrive in time'))).toBe('connect:timeout');
  expect(clientErrorReason(new Error('+ is not allowed in PUBLISH'))).toBe('publish:bad-topic');
  expect(clientErrorReason(new Error('Invalid header flag bits, must be 0x0 for puback packet'))).toBe(
    'connect:protocol-error',
  );
  // A device asking for MQTT 5 before falling back to 3.1.1 (CONNACK 1) is negotiation, not abuse.
  expect(clientErrorReason(withCode('unacceptable protocol version', { errorCode: 1 }))).toBeNull();
  expect(clientErrorReason(withCode('bad user name or password', { errorCode: 4 }))).toBeNull();
  expect(clientErrorReason(new Error('publish:storage-failed: disk full'))).toBeNull();
  expect(clientErrorReason(withCode('read ECONNRESET', { code: 'ECONNRESET' }))).toBeNull();
  expect(clientErrorReason(new Error('keep alive timeout'))).toBeNull();
});
