import { z } from 'zod';
import { recordIdSchema } from '@pourcast/protocol';

export const idParam = z.strictObject({ id: recordIdSchema });
export const offerParam = z.strictObject({ id: recordIdSchema, offerId: recordIdSchema });
