import {
  scanModeResponseSchema,
  staffLiveSchemas,
  staffSnapshotSchema,
  staffWriteResponseSchema,
  validate,
  weighReadingSchema,
  type StaffLiveName,
  type StaffLivePayload,
} from '@pourcast/protocol';
import type { z } from 'zod';

/** What the gateway sends is checked against the protocol's schemas before the display shows it. */
export class InvalidMessage extends Error {
  constructor(readonly details: string[]) {
    super(`invalid message from the gateway: ${details.slice(0, 3).join('; ')}`);
  }
}

function parser<S extends z.ZodType>(schema: S) {
  return (value: unknown): z.infer<S> => {
    const checked = validate(schema, value);
    if (!checked.ok) throw new InvalidMessage(checked.details);
    return checked.value;
  };
}

export const parseSnapshot = parser(staffSnapshotSchema);
export const parseWriteResponse = parser(staffWriteResponseSchema);
export const parseWeighReading = parser(weighReadingSchema);
export const parseScanModeResponse = parser(scanModeResponseSchema);

export function parseLive<K extends StaffLiveName>(name: K, data: string): StaffLivePayload<K> {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new InvalidMessage(['(root): malformed JSON']);
  }
  return parser(staffLiveSchemas[name])(value) as StaffLivePayload<K>;
}
