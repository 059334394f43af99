/**
 * The roles/events file of a labelled folder (`events.json` beside `gt.txt`), written by
 * `floorsense label` and read by `floorsense eval events`. Identities are the MOT ids of the
 * folder's `gt.txt`; frames are MOT frame numbers (source frame index + 1), so the file needs no
 * clock of its own. The same layout holds the pipeline's predicted events (see predict.ts), so a
 * second annotator's folder can be scored against the first (the pilot's audit) on one path.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { FailureError } from '../../core/errors.js';

export const EVENT_KINDS = ['consultation', 'checkout'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const ROLES = ['staff', 'customer'] as const;
export type LabelRole = (typeof ROLES)[number];

const id = z.int().min(0).max(1_000_000_000).describe('a MOT identity of gt.txt');
const frame = z.int().min(1).max(1_000_000_000).describe('MOT frame number (source frame index + 1)');

const eventSchema = z
  .strictObject({
    kind: z.enum(EVENT_KINDS).describe('consultation on the floor, or service at the till (checkout)'),
    seller: id.describe('the staff identity'),
    customer: id.describe('the customer identity'),
    start: frame.describe('first frame of the interaction'),
    end: frame.describe('last frame of the interaction (inclusive)'),
  })
  .refine((e) => e.end >= e.start, { message: 'end must be >= start', path: ['end'] })
  .refine((e) => e.seller !== e.customer, { message: 'seller and customer must be different identities', path: ['customer'] });

export const eventsFileSchema = z.strictObject({
  version: z.literal(1).describe('layout version'),
  camera: z.string().min(1).max(128).describe('camera id the labels belong to'),
  source: z.string().max(4096).optional().describe('the clip the frames came from (informational)'),
  fps: z.number().positive().max(1000).describe('source frames per second: frame F is at (F - 1) / fps s'),
  sampled_frames: z.array(frame).max(10_000_000).describe('the frames that were looked at; boxes exist only there'),
  roles: z.record(z.string().regex(/^\d+$/), z.enum(ROLES)).describe('MOT identity -> role'),
  events: z.array(eventSchema).max(1_000_000).describe('consultations and checkouts'),
});

export type InteractionLabel = z.infer<typeof eventSchema>;
export type EventsFile = z.infer<typeof eventsFileSchema>;

export function parseEventsFile(text: string, origin: string): EventsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FailureError('FS_PARSE', `${origin}: not JSON: ${(e as Error).message}`, { origin }, { cause: e });
  }
  const r = eventsFileSchema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new FailureError('FS_PARSE', `${origin}: ${why}`, { origin });
  }
  return r.data;
}

export function readEventsFile(path: string): EventsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError('FS_FILE_NOT_FOUND', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path }, { cause: e });
  }
  return parseEventsFile(text, path);
}

/** Stable text: roles by numeric id, events by start frame; one event per line for readable diffs. */
export function formatEventsFile(f: EventsFile): string {
  const roles = Object.fromEntries(Object.entries(f.roles).sort((a, b) => Number(a[0]) - Number(b[0])));
  const events = [...f.events].sort((a, b) => a.start - b.start || a.seller - b.seller || a.customer - b.customer);
  const lines = [
    `"version": ${f.version}`,
    `"camera": ${JSON.stringify(f.camera)}`,
    ...(f.source === undefined ? [] : [`"source": ${JSON.stringify(f.source)}`]),
    `"fps": ${f.fps}`,
    `"sampled_frames": ${JSON.stringify(f.sampled_frames)}`,
    `"roles": ${JSON.stringify(roles)}`,
    `"events": [${events.map((e) => `\n  ${JSON.stringify({ kind: e.kind, seller: e.seller, customer: e.customer, start: e.start, end: e.end })}`).join(',')}${events.length ? '\n ' : ''}]`,
  ];
  return `{\n ${lines.join(',\n ')}\n}\n`;
}

export function writeEventsFile(path: string, f: EventsFile): void {
  // Validate what we write with the reader's own schema: a file the reader refuses is never saved.
  parseEventsFile(JSON.stringify(f), path);
  writeFileSync(path, formatEventsFile(f));
}
