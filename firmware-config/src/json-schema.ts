import { z } from 'zod';
import { gatewayConfigSchema } from '@pourcast/protocol';

/** JSON Schema of the gateway config as a technician writes it (defaults optional), for editors. */
export function gatewayConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(gatewayConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
