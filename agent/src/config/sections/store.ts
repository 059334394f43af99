import { z } from 'zod';

export const storeSection = z
  .strictObject({
    id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').describe('Store identifier, unique in the chain; sent with every aggregate.'),
    timezone: z
      .string()
      .refine(isValidTimeZone, { message: 'not an IANA time zone (e.g. Europe/Moscow)' })
      .default('UTC')
      .describe('IANA time zone of the store; used only for display and for what "a day" means.'),
  })
  .describe('The store this agent runs in.');

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
