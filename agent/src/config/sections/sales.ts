import { z } from 'zod';
import { validate as validateCron } from 'node-cron';

/**
 * Where the agent takes its sales inputs from: the shift schedule (a local CSV or a published
 * Google Sheets CSV URL, cached on disk for offline days) and a folder the POS drops receipt CSVs
 * into. Both are optional: without them receipts come only through POST /api/receipts and shifts
 * only from whatever is already in the store.
 */
const scheduleSection = z
  .strictObject({
    source: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Shift schedule CSV (date,seller_id,name,start,end): a local path, or an http(s) URL such as a Google Sheets "publish to web" CSV link (https://docs.google.com/spreadsheets/d/e/.../pub?output=csv). Unset: no schedule is loaded.',
      ),
    cron: z
      .string()
      .refine(validateCron, { message: 'not a cron expression (e.g. "0 * * * *")' })
      .default('0 * * * *')
      .describe('When the schedule is fetched again (node-cron syntax, local time of the box); hourly by default, and once at start.'),
    timeout_s: z.number().min(1).max(300).default(20).describe('Seconds to wait for the schedule URL before falling back to the cached copy.'),
    cache_path: z
      .string()
      .min(1)
      .optional()
      .describe('Where the last good schedule is kept for offline days (written atomically). Default: schedule-cache.csv beside the database.'),
  })
  .describe('Shift schedule source, refresh and offline cache.');

const receiptsSection = z
  .strictObject({
    folder: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Folder the POS exports receipt CSVs into (receipt_id,timestamp,total,currency,register,seller_code). Each file is imported once; unset: no folder is watched.',
      ),
    poll_s: z
      .int()
      .min(1)
      .max(86_400)
      .default(30)
      .describe('Seconds between scans of the receipts folder (polling works on network shares where file events do not).'),
    min_age_s: z
      .int()
      .min(0)
      .max(3600)
      .default(5)
      .describe('A file modified less than this many seconds ago is left for the next scan (the POS may still be writing it).'),
    extensions: z
      .array(z.string().regex(/^\.[A-Za-z0-9]+$/, 'an extension with its dot, e.g. ".csv"'))
      .min(1)
      .default(['.csv'])
      .describe('File extensions (case-insensitive) taken from the receipts folder; other files are ignored.'),
  })
  .describe('Receipt CSV files dropped by the POS.');

export const salesSection = z
  .strictObject({
    schedule: scheduleSection.default(scheduleSection.parse({})),
    receipts: receiptsSection.default(receiptsSection.parse({})),
  })
  .describe('Sales inputs: the shift schedule and POS receipt files.');

export type SalesConfig = z.infer<typeof salesSection>;
