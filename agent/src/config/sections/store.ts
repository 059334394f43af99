import { z } from 'zod';
import { isValidTimeZone } from '../../core/local-time.js';

export const storeSection = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
      .describe('Store identifier, unique in the chain; sent with every aggregate.'),
    timezone: z
      .string()
      .refine(isValidTimeZone, { message: 'not an IANA time zone (e.g. Europe/Moscow)' })
      .default('UTC')
      .describe('IANA time zone of the store; used only for display and for what "a day" means.'),
    locale: z.enum(['ru', 'en']).default('ru').describe('Language of the local dashboard (ru or en); the page can switch it for the viewer.'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals (RUB, EUR...)')
      .optional()
      .describe('Currency of the receipts (ISO 4217) for money on the dashboard; absent: taken from the receipts, else amounts shown without a symbol.'),
  })
  .describe('The store this agent runs in.');
