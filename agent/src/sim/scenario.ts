/**
 * A simulated store day, described in YAML and validated like the agent config (unknown keys are
 * errors, every field bounded and described). `floorsense simulate --config scenario.yaml`.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FailureError, MisuseError } from '../core/errors.js';
import { formatKeyPath } from '../config/load.js';
import { isHhMm, isIsoDate } from '../core/local-time.js';

const hhmm = z.string().refine(isHhMm, { message: 'expected HH:MM (24-hour)' });
const range = (min: number, max: number, what: string) =>
  z
    .strictObject({ min: z.number().min(min).max(max), max: z.number().min(min).max(max) })
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max' })
    .describe(what);
const amount = z
  .strictObject({ median: z.number().positive().max(1e6), sigma: z.number().min(0).max(3) })
  .describe('Log-normal purchase amount: median and log-space sigma.');

const seller = z
  .strictObject({
    id: z.string().min(1).max(32).describe('Seller id (schedule seller_id).'),
    name: z.string().min(1).max(64).describe('Display name.'),
    start: hhmm.describe('Shift start, store time.'),
    end: hhmm.describe('Shift end, store time.'),
    post: z.enum(['counter', 'floor']).describe('counter = works the till behind the counter; floor = stands on the sales floor.'),
  })
  .describe('A seller and their shift.');

/*
 * Noise defaults set from the real pipeline on the hand-labelled set (test/fixtures/labels: the
 * checkout, aisle and indoor clips, 341 sampled frames, 394 boxes, 3.3 person-minutes), matched at
 * IoU 0.3 so that a box cut short by a trolley counts as the right person with a foot-point error,
 * not as a miss plus a false person:
 *   for c in checkout_counter_cashier.mp4 store_aisle_shoppers.gif indoor_one_by_one_person.mp4; do
 *     node bin/floorsense.js analyze ../shared/data/video/$c --fps 2 --no-preview --out out/mot/${c%.*}; done
 *   npx tsx agent/bench/sim-noise.ts --iou 0.3 --runs out/mot
 * measured: 7 misses of 394 boxes (0.018), 0 false positives in 341 frames, 0 id switches and 3 id
 * merges (a newcomer given a departed person's id, all on the indoor clip) in 3.3 person-minutes.
 * A rate the set saw none of is set at what it cannot rule out (95 % upper bound, 3 / n) where that
 * bound is informative; for id switches and fragments it is not (3 / 3.3 person-minutes), so those
 * keep their earlier values, and id reuse stays off by default (it is a tracker fault under repair;
 * agent/bench/analytics-accuracy.ts --id-reuse shows its cost).
 */
export const MEASURED_MISS_RATE = 0.02;
/** 0 seen in 341 frames: at most 3/341 false boxes a frame, which at one sampled frame a second and 2.5 frames a false track is 12.7 an hour. */
export const MEASURED_FALSE_TRACKS_PER_HOUR = 12;

const noise = z
  .strictObject({
    miss_rate: z
      .number()
      .min(0)
      .max(0.9)
      .default(MEASURED_MISS_RATE)
      .describe('Probability a visible person is not detected in a sampled frame. Default: measured on the labelled real set (sim/scenario.ts).'),
    jitter: z.number().min(0).max(0.3).default(0.03).describe('Box position noise, as a fraction of box height (standard deviation).'),
    occlusions_per_hour: z.number().min(0).max(120).default(4).describe('Occlusion episodes per person-hour.'),
    occlusion_seconds: range(0, 600, 'Length of an occlusion (seconds).').default({ min: 3, max: 15 }),
    max_age_seconds: z
      .number()
      .min(0)
      .max(60)
      .default(4)
      .describe('The tracker keeps an id across detection gaps up to this long; longer gaps fragment the track.'),
    id_switch_probability: z.number().min(0).max(1).default(0.1).describe('Chance that two people passing within 0.6 m swap track ids.'),
    fragments_per_hour: z.number().min(0).max(60).default(1).describe('Spontaneous id changes per person-hour.'),
    id_reuse: z
      .strictObject({
        probability: z.number().min(0).max(1).default(0).describe('Chance that a person coming into view takes over the id of a track lost within the window.'),
        window_seconds: z.number().min(0).max(600).default(30).describe('How long after it was last seen a lost track can be taken over.'),
      })
      .default({ probability: 0, window_seconds: 30 })
      .describe(
        "Identity merges: a newcomer given a departed person's id, as appearance re-identification after a gap can do (3 of 5 entries on the labelled indoor clip).",
      ),
    false_positives_per_hour: z
      .number()
      .min(0)
      .max(3600)
      .default(MEASURED_FALSE_TRACKS_PER_HOUR)
      .describe('Short false tracks per camera-hour. Default: the bound the labelled real set allows (sim/scenario.ts).'),
    outages: z
      .strictObject({ count: z.int().min(0).max(20).default(0), minutes: z.number().min(0).max(120).default(3) })
      .default({ count: 0, minutes: 3 })
      .describe('Camera outages: how many per day (spread over cameras) and how long.'),
  })
  .describe('What goes wrong between the shop floor and the track files.');

const appearance = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Emit a per-track appearance embedding (<camera>.emb.json), as a re-id network would.'),
    dim: z.int().min(2).max(2048).default(512).describe('Embedding length.'),
    noise: z
      .number()
      .min(0)
      .max(10)
      .default(0.5)
      .describe('Per-track noise: norm of the Gaussian noise added to the person vector (norm 1) before renormalising.'),
  })
  .describe('Appearance embeddings: each person a random unit vector, each track that vector plus noise; a track after an id switch carries the other person.');

const colors = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        'Emit a per-track torso colour (the colors of <camera>.emb.json), as analyze measures it, and configure the uniform hint in the written store.yaml.',
      ),
    uniform: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { message: 'expected #rrggbb' })
      .default('#c81e28')
      .describe("Sellers' uniform colour."),
    noise: z.number().min(0).max(128).default(15).describe('Per-track colour noise: standard deviation per RGB channel.'),
  })
  .describe('Torso colours: sellers wear the uniform, customers random colours, each track plus noise.');

export const scenarioSchema = z
  .strictObject({
    store: z
      .strictObject({
        id: z.string().min(1).max(64).default('sim-store'),
        timezone: z.string().default('Europe/Berlin'),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'an ISO 4217 code (EUR, RUB...)')
          .default('EUR')
          .describe('Currency written on the simulated receipts.'),
      })
      .default({ id: 'sim-store', timezone: 'Europe/Berlin', currency: 'EUR' })
      .describe('Store id, IANA time zone and receipt currency.'),
    date: z.string().refine(isIsoDate, { message: 'expected YYYY-MM-DD' }).describe('Local date of the simulated day.'),
    hours: z.strictObject({ open: hhmm, close: hhmm }).describe('Opening hours, store time (same day).'),
    floor: z
      .strictObject({ width_m: z.number().min(8).max(60).default(16), depth_m: z.number().min(10).max(40).default(13) })
      .default({ width_m: 16, depth_m: 13 })
      .describe('Sales floor size; entrance at the front, counter at the back right.'),
    cameras: z
      .strictObject({
        count: z.int().min(1).max(3).default(1).describe('Cameras, each covering one strip of the floor side by side.'),
        homography: z.boolean().default(true).describe('Write floor point pairs into store.yaml (false = pixel fallback; one camera only).'),
        width: z.int().min(160).max(4096).default(1280).describe('Image width, pixels.'),
        height: z.int().min(120).max(4096).default(720).describe('Image height, pixels.'),
      })
      .default({ count: 1, homography: true, width: 1280, height: 720 })
      .describe('Cameras on the front wall, each seeing one strip of the floor.'),
    sellers: z.array(seller).min(1).max(8),
    customers: z
      .strictObject({
        arrivals_per_hour: z
          .union([z.number().min(0).max(600), z.array(z.number().min(0).max(600)).min(1)])
          .describe('Mean arrivals per hour: one number, or one per opening hour.'),
        browse_minutes: z
          .strictObject({ median: z.number().positive().max(120), sigma: z.number().min(0).max(2) })
          .default({ median: 6, sigma: 0.5 })
          .describe('Time spent browsing (log-normal).'),
        consult_probability: z.number().min(0).max(1).default(0.4),
        second_consult_probability: z.number().min(0).max(1).default(0.1),
        brief_question_probability: z.number().min(0).max(1).default(0.15).describe('A short exchange (5-12 s), not a consultation.'),
        buy_probability: z
          .strictObject({ consulted: z.number().min(0).max(1), unconsulted: z.number().min(0).max(1) })
          .default({ consulted: 0.55, unconsulted: 0.3 }),
        amount: z
          .strictObject({ consulted: amount, unconsulted: amount })
          .default({ consulted: { median: 60, sigma: 0.5 }, unconsulted: { median: 35, sigma: 0.6 } }),
        consult_seconds: range(1, 3600, 'Consultation length (seconds).').default({ min: 30, max: 240 }),
        checkout_seconds: range(1, 600, 'Service at the till (seconds).').default({ min: 25, max: 80 }),
      })
      .describe('Customer behaviour.'),
    video: z
      .strictObject({ fps: z.number().positive().max(60).default(25), stride: z.int().min(1).max(250).default(25) })
      .default({ fps: 25, stride: 25 })
      .describe('Camera frame rate and sampling stride (every Nth frame is in the track files).'),
    noise: noise.default(noise.parse({})),
    pos_clock_offset_seconds: z.number().min(-3600).max(3600).default(0).describe('POS clock minus video clock, seconds.'),
    appearance: appearance.default(appearance.parse({})),
    colors: colors.default(colors.parse({})),
  })
  .superRefine(function closeAfterOpen(s, ctx) {
    if (s.hours.close <= s.hours.open) ctx.addIssue({ code: 'custom', path: ['hours', 'close'], message: 'close must be after open on the same day' });
  })
  .superRefine(function pixelFallbackOneCamera(s, ctx) {
    if (!s.cameras.homography && s.cameras.count > 1)
      ctx.addIssue({ code: 'custom', path: ['cameras', 'homography'], message: 'without a homography people cannot be followed across cameras; use count: 1' });
  })
  .superRefine(function uniqueSellerIds(s, ctx) {
    const seen = new Set<string>();
    s.sellers.forEach((x, i) => {
      if (seen.has(x.id)) ctx.addIssue({ code: 'custom', path: ['sellers', i, 'id'], message: `duplicate seller id "${x.id}"` });
      seen.add(x.id);
    });
  })
  .describe('A simulated store day.');

export type Scenario = z.infer<typeof scenarioSchema>;
export type NoiseConfig = Scenario['noise'];
export type AppearanceConfig = Scenario['appearance'];

export function validateScenario(raw: unknown, origin = 'scenario'): Scenario {
  const res = scenarioSchema.safeParse(raw ?? {});
  if (!res.success) {
    const lines = res.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? i.keys.map((k) => `${formatKeyPath([...i.path, k])}: unknown key`).join('; ') : `${formatKeyPath(i.path)}: ${i.message}`,
    );
    throw new MisuseError('FS_CONFIG_INVALID', `${origin} is invalid:\n  ${lines.join('\n  ')}`, { issues: lines });
  }
  return res.data;
}

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError(
      'FS_CONFIG_NOT_FOUND',
      `cannot read scenario ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { path },
      { cause: e },
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new MisuseError('FS_CONFIG_INVALID', `${path} is not valid YAML: ${(e as Error).message}`, {}, { cause: e });
  }
  return validateScenario(raw, path);
}
