import { z } from 'zod';
import { ID_RE } from '../../store/records.js';

/**
 * Store analytics: who is staff, what counts as a consultation, how receipts are matched to
 * visits. Every threshold is in video time (seconds) or metres on the floor plan.
 */
export const ROLE_METHODS = ['default', 'longest'] as const;

const consultation = z
  .strictObject({
    distance_m: z.number().positive().max(10).default(1.5).describe('A seller and a customer this close (metres) are interacting.'),
    min_seconds: z.number().min(0).max(3600).default(20).describe('Shortest interaction (video seconds) that counts as a consultation.'),
    max_gap_seconds: z.number().min(0).max(600).default(10).describe('Gaps in closeness up to this long (video seconds) do not end a consultation.'),
    till_counts: z
      .boolean()
      .default(false)
      .describe('Count service while the customer stands in a till zone as a consultation too (default: it is a checkout).'),
  })
  .describe('What counts as a consultation.');

const uniform = z
  .strictObject({
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { message: 'expected #rrggbb' })
      .describe(
        "Staff uniform colour as seen on camera, #rrggbb; compared with each person's mean torso colour (the colors of <camera>.emb.json, written by analyze).",
      ),
    tolerance: z
      .number()
      .positive()
      .max(442)
      .default(60)
      .describe(
        'A torso colour within this RGB euclidean distance of the uniform colour is staff evidence; beyond twice this it is a little evidence against.',
      ),
    weight: z
      .number()
      .min(0)
      .max(20)
      .default(1)
      .describe(
        'Strength of the uniform evidence: the staff log-odds gain weight x 4 at a perfect colour match (weight x 2 at the tolerance) and lose weight x 1 beyond twice the tolerance; 0 = off.',
      ),
  })
  .describe('Optional uniform colour hint for who is staff (only where the track files carry torso colours).');

const roles = z
  .strictObject({
    method: z
      .enum(ROLE_METHODS)
      .default('default')
      .describe(
        'default = time on floor, time in staff zones, sellers on shift and fragment continuity; longest = the design baseline (the person in frame longest is the seller).',
      ),
    staff_dwell_minutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(45)
      .describe('Seen this long (minutes) is strong evidence of staff.'),
    staff_zone_seconds: z.number().min(0).max(3600).default(60).describe('Time in staff-only zones (seconds) that is strong evidence of staff.'),
    min_confidence: z.number().min(0).max(1).default(0.5).describe('Staff when the staff probability is at least this.'),
    appearance_weight: z
      .number()
      .min(0)
      .max(100)
      .default(1)
      .describe(
        'Appearance continuity when several sellers are on shift: a staff person scores this x (cosine similarity - 0.5) with a seller whose earlier persons it resembles (only when the track files carry embeddings); 0 = off.',
      ),
    uniform: uniform.optional(),
  })
  .describe('Who is staff.');

const stitching = z
  .strictObject({
    max_gap_seconds: z.number().min(0).max(3600).default(45).describe('Track fragments further apart in time are never joined into one person.'),
    max_speed_mps: z.number().positive().max(10).default(1.6).describe('Walking speed bound (m/s) for joining fragments across a gap.'),
    base_radius_m: z.number().min(0).max(20).default(1.2).describe('Allowed distance between fragment end and start at zero gap (metres); covers jitter.'),
    exit_gap_seconds: z
      .number()
      .min(0)
      .max(600)
      .default(0)
      .describe('A fragment ending in an entrance zone is only joined across gaps up to this long: the person left.'),
    min_visit_seconds: z
      .number()
      .min(0)
      .max(3600)
      .default(10)
      .describe('Customers seen for less than this (seconds, after joining) are noise (false detections, passers-by) and not counted as visits.'),
    min_track_samples: z
      .int()
      .min(1)
      .max(1000)
      .default(6)
      .describe('A visit needs at least one tracker track with this many samples; chains of shorter tracks are flicker (false detections).'),
    staff_gap_seconds: z
      .number()
      .min(0)
      .max(3600)
      .default(180)
      .describe('A staff person may be re-joined with a fragment across gaps up to this long when a seller on shift is unaccounted for.'),
    appearance_weight: z
      .number()
      .min(0)
      .max(100)
      .default(4)
      .describe(
        'Where both fragments carry an appearance embedding (<camera>.emb.json), cost added to a link per unit of cosine distance; 0 = appearance only gates.',
      ),
    max_cosine_distance: z
      .number()
      .min(0)
      .max(2)
      .default(2)
      .describe(
        'Fragments whose appearance embeddings are further apart than this cosine distance are never joined (e.g. 0.5); the default 2 never forbids, because a track that swapped people carries one embedding (the person it ended on), so a hard gate breaks its true link (measured on simulated days: agent/bench/analytics-accuracy.ts --appearance).',
      ),
  })
  .describe('Joining track fragments and ID switches into persons (time/space gating, fused with appearance embeddings when the track files carry them).');

const receipts = z
  .strictObject({
    clock_offset_seconds: z
      .number()
      .min(-86400)
      .max(86400)
      .default(0)
      .describe('POS clock minus video clock (seconds); subtracted from receipt times before matching.'),
    tolerance_seconds: z
      .number()
      .min(0)
      .max(3600)
      .default(90)
      .describe('A receipt matches a visit seen at a till zone within this many seconds of the receipt time.'),
  })
  .describe('Matching receipts to visits.');

const sellerAssignment = z
  .strictObject({
    seller_id: z
      .string()
      .regex(ID_RE, 'an id of 1-128 letters A-Z a-z, digits, _ . : - as in the schedule (a display name is not an id)')
      .describe('Seller id as in the schedule.'),
    zones: z.array(z.string().min(1)).min(1).describe('Zone names this seller works (e.g. the counter); staff seen there are mapped to this seller.'),
  })
  .describe('Which zones a seller works, used when several sellers are on shift.');

export const analyticsSection = z
  .strictObject({
    person_height_m: z
      .number()
      .min(1)
      .max(2.5)
      .default(1.7)
      .describe('Assumed person height (metres) that scales pixel distances when a camera has no floor homography.'),
    consultation: consultation.default(consultation.parse({})),
    roles: roles.default(roles.parse({})),
    stitching: stitching.default(stitching.parse({})),
    receipts: receipts.default(receipts.parse({})),
    sellers: z.array(sellerAssignment).default([]).describe('Zone assignment of sellers (optional).'),
  })
  .describe('Store analytics: staff, visits, consultations, receipts.');

export type AnalyticsConfig = z.infer<typeof analyticsSection>;
