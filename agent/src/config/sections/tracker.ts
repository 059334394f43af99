import { z } from 'zod';
import { MOTION_RULES } from '../../track/distances.js';
import { EMBEDDING_CONTESTS, EMBEDDING_POLICIES } from '../../track/embedding-policy.js';
import { PRECISIONS } from '../../models/precision.js';
import { REID_INPUT_DEFAULT, REID_INPUTS } from '../../track/crop.js';

/** The ReID model the tracker uses unless tracker.reid_model names another. */
export const REID_DEFAULT_MODEL = 'osnet_x0_25_msmt17';

export const trackerSection = z
  .strictObject({
    appearance: z.boolean().default(true).describe('Use OSNet ReID embeddings fused with motion; false = motion-only tracker.'),
    reid_model: z.string().default(REID_DEFAULT_MODEL).describe('ReID model name from models/manifest.json.'),
    reid_input: z
      .enum(REID_INPUTS)
      .default(REID_INPUT_DEFAULT)
      .describe(
        "ReID crop, height x width. 256x128 is OSNet's own; the smaller crops run a model derived for them (made once, cached beside the database): 2.4-2.9 vs 8.7 ms a crop (batch 8, 2 threads). The default is the smallest whose labelled-set IDF1 and IDSW stayed within a point of 256x128 (agent/bench/reid-replay.ts).",
      ),
    reid_precision: z
      .enum(PRECISIONS)
      .default('fp32')
      .describe(
        'Numeric precision of the ReID model. fp32: the file as shipped. int8: a static int8 model (QLinearConv; the ops named by keep_float in the table, for OSNet the channel gate MLPs, stay float) derived at start-up from that file with models/calibration/<reid_model>.int8.json and cached beside the other derived models, 0.23-0.41 of the fp32 time a crop (batch 8, 2 threads; agent/bench/reid.ts --precisions fp32,int8); its embeddings are another space, so the stored appearance model id gains ":int8-" plus the hash of the table, and a store day never mixes the two. Refused, naming the model, when it has no table.',
      ),
    high_threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        "Detections at or above this score enter the first association pass (ByteTrack's track_thresh). Default: the detector model's calibrated value (models/manifest.json tracker_thresholds), which is a quantile of that model's own person scores.",
      ),
    low_threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("Detections between low and high enter the second (ByteTrack) pass only. Default: the detector model's calibrated value."),
    new_track_threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("Unmatched detections at or above this score start a new track. Default: the detector model's calibrated value."),
    min_hits: z.int().min(1).max(100).default(2).describe('Matches before a tentative track is confirmed (reported).'),
    max_age_s: z
      .number()
      .positive()
      .max(3600)
      .default(1)
      .describe(
        'A track unmatched for this long (video seconds, and for max_age_updates samples) stops being matched by motion; a confirmed one then waits for re-identification until reid_window_s.',
      ),
    max_age_updates: z
      .int()
      .min(0)
      .max(1000)
      .default(10)
      .describe(
        'A track also survives until it has missed this many sampled frames, whatever max_age_s says (OC-SORT counts its max_age in frames): at 1-2 fps a few missed samples exceed any age in seconds. While it coasts it is matched only where it overlaps (motion_rule cascade). 10 = chosen by leave-one-sequence-out cross-validation (agent/bench/tracker-cv.ts).',
      ),
    reid_window_s: z.number().min(0).max(3600).default(30).describe('Lost tracks may be re-identified by appearance within this window (video seconds).'),
    appearance_weight: z.number().min(0).max(1).default(0.5).describe('Weight of appearance cost against motion cost.'),
    max_cosine_distance: z
      .number()
      .min(0)
      .max(2)
      .optional()
      .describe(
        "Appearance gate: pairs further apart are never matched by appearance. Default: the ReID model's calibrated value at reid_precision (models/manifest.json reid_thresholds, int8.reid_thresholds at int8: a distance means another share of people in each space); a value set here wins at either precision.",
      ),
    reid_max_cosine_distance: z
      .number()
      .min(0)
      .max(2)
      .optional()
      .describe(
        "Re-identification gate: a lost track is given back to a detection by appearance alone only closer than this cosine distance, where motion does not have to agree. Default: the ReID model's calibrated value at reid_precision (as max_cosine_distance); a value set here wins.",
      ),
    embedding_ema: z.number().min(0).max(1).default(0.9).describe("EMA momentum of each track's appearance embedding."),
    match_max_cost: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe(
        'Max motion (or fused motion+appearance) cost of a match in the high-score and tentative passes; motion cost is min(1 - IoU, Mahalanobis / gate).',
      ),
    low_match_max_cost: z
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .describe(
        'Max motion cost of a match in the low-score (second) pass: low-score boxes are mostly occluded people, so only a close overlap (IoU >= 0.7 at 0.3) extends a track. Chosen by cross-validation (agent/bench/tracker-cv.ts).',
      ),
    max_speed_body_heights_per_s: z
      .number()
      .positive()
      .max(20)
      .default(1.5)
      .describe(
        "Plausibility gate without a floor homography: fastest plausible foot-point speed in body heights (the track's last box height) per second. 1.5 = a hurried 2.5 m/s walk of a 1.7 m person. Applies to every association and re-identification.",
      ),
    plausibility_slack_body_heights: z
      .number()
      .min(0)
      .max(10)
      .default(0.5)
      .describe('Displacement always allowed by the plausibility gate, body heights (detector jitter, pose change).'),
    max_speed_m_per_s: z
      .number()
      .positive()
      .max(20)
      .default(2.5)
      .describe('Plausibility gate with a floor homography: fastest plausible walking speed, metres per second.'),
    plausibility_slack_m: z
      .number()
      .min(0)
      .max(10)
      .default(0.5)
      .describe('Floor displacement always allowed by the plausibility gate, metres (homography error, jitter).'),
    max_reach_body_heights: z
      .number()
      .positive()
      .max(100)
      .default(3)
      .describe(
        "Cap on the plausibility gate's reach without a homography, body heights, however long a track was unseen (the walking bound reaches it after about 1.7 s). Re-identification is for a person hidden for a moment who re-emerges nearby (3 body heights, about 5 m); one who came back elsewhere is joined by the scene stitcher.",
      ),
    max_reach_m: z
      .number()
      .positive()
      .max(100)
      .default(5)
      .describe("Cap on the plausibility gate's reach with a floor homography, metres, however long a track was unseen (as max_reach_body_heights)."),
    observation_recovery: z
      .boolean()
      .default(true)
      .describe(
        'OC-SORT observation-centric recovery: tracks left unmatched are tried once more against their last observed box (IoU), which holds people who stopped while the prediction drifted.',
      ),
    observation_recovery_max_cost: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe("Max 1 - IoU between a track's last observed box and a detection in the recovery pass (OC-SORT: IoU >= 0.2)."),
    observation_reupdate: z
      .boolean()
      .default(true)
      .describe(
        'OC-SORT observation-centric re-update: a track matched after missed samples has its filter re-run along a straight path from its last observation, so coasting drift does not persist.',
      ),
    motion_rule: z
      .enum(MOTION_RULES)
      .default('cascade')
      .describe(
        'How IoU and Mahalanobis make the motion cost: min = the smaller per pair; overlap_first = IoU wherever the track overlaps any detection, Mahalanobis only for tracks that overlap none; cascade = the overlap_first costs assigned in two rounds, every overlapping pair first, then the Mahalanobis reach, and that only for tracks observed at the previous sample (in a crowd a track whose own detection was missed otherwise takes a neighbour).',
      ),
    motion_acceleration_noise: z
      .number()
      .positive()
      .max(10)
      .default(0.2)
      .describe(
        "Motion model: how fast a person's velocity may change, as the std of the velocity change after 1 s in body heights per second (the Kalman filter's white-noise acceleration). Larger = the filter's velocity follows each detection's jitter, and a standing person's predicted box drifts onto a neighbour between sparse samples; smaller = OC-SORT's stiff velocity (its process noise on velocity is 1/100 of that on position). Chosen by leave-one-sequence-out cross-validation (agent/bench/tracker-cv.ts).",
      ),
    motion_manoeuvre_noise: z
      .number()
      .min(0)
      .max(10)
      .default(0.8)
      .describe(
        "Association gate: how fast a person CAN change velocity between two looks (turn back, stop), in the units of motion_acceleration_noise. The Mahalanobis gate uses the covariance the filter would have at this noise (run beside the filter's; kalman.ts gateParams), about the stiff filter's prediction, so a stiff filter (motion_acceleration_noise) still reaches a person who turned back between 1 fps samples; at or below motion_acceleration_noise the gate is the filter's own. 0.8 = the filter's noise before motion_acceleration_noise was lowered, so the gate reaches as far as it did.",
      ),
    motion_gate_chi2: z
      .number()
      .positive()
      .max(100)
      .default(9.4877)
      .describe(
        'Mahalanobis gate on (cx, cy, w, h), a chi-square value for 4 degrees of freedom (9.49 = the 95% quantile, 4 = about 60%). A tighter gate helps in crowds at 2.5-25 fps but cuts off people who turn back between 1 fps samples.',
      ),
    embedding_refresh_s: z
      .number()
      .min(0)
      .max(3600)
      .default(5)
      .describe(
        "A track's embedding is refreshed from an unambiguous match at most this often (video seconds); embeddings are otherwise computed only where they can change a decision.",
      ),
    embedding_policy: z
      .enum(EMBEDDING_POLICIES)
      .default('decisive')
      .describe(
        'decisive = compute an embedding only for a detection whose embedding can change a match (contested, as embedding_contest reads it; reachable by no track while a lost one waits; a new or due-for-refresh track), counted per reason in summary.json appearance.by_reason; all = embed every high-score detection (the slower reference path).',
      ),
    embedding_defer_tentative: z
      .boolean()
      .default(false)
      .describe(
        "Decisive policy: a tentative track takes its first embedding only once confirmed (one sample later), so tracks that die after two sightings never pay for one. Off: it saved 7 % of the 1 fps street loop's embeddings on top of embedding_contest_rounds, but two people who meet right after they appear are then matched on motion alone where appearance would have kept them apart (test/track/tracker-life.test.ts); measured by agent/bench/reid-replay.ts.",
      ),
    embedding_ema_per_observation: z
      .boolean()
      .default(false)
      .describe(
        "embedding_ema applies per matched observation instead of per crop: a track's appearance keeps embedding_ema^k of its old value for the k matches since its last crop, as if each had brought one like it. Embedding every match (embedding_policy all) is unchanged; under the decisive policy, which embeds a track about once per embedding_refresh_s, the first crop (often of someone entering half in view) otherwise keeps over half the weight for half a minute at 1 fps. Measured by agent/bench/reid-replay.ts.",
      ),
    embedding_at_birth: z
      .boolean()
      .default(false)
      .describe(
        "Decisive policy: a high-score detection no track reaches that will start a track (score >= new_track_threshold) is embedded at once, so the new track carries an appearance into its first contest (its second sighting; at 1 fps its velocity is still unknown then, and a track without an appearance is matched on motion alone). Not applied under embedding_defer_tentative. On the labelled street clip at 1 fps it lifts IDF1 .636 -> .757 against embed-all's .751 (int8 detector; agent/bench/reid-replay.ts --every 2) for about 5 % more embeddings on the 1 fps street loop; off because at 2 fps the stitched street clip then joins 14 labelled people into one predicted person where the baseline allows 13 (test/label/labelled-set.test.ts).",
      ),
    embedding_first_crops: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(1)
      .describe(
        "Decisive policy: a track's appearance is refreshed at every unambiguous match until it holds this many crops, then every embedding_refresh_s. 1 = from the first crop on (at 1 fps a track then holds one crop for its first 5 s, often of someone entering half in view). Each step above 1 costs at most one embedding per track. Measured by agent/bench/reid-replay.ts.",
      ),
    embedding_whole_crops: z
      .boolean()
      .default(false)
      .describe(
        "A track's appearance is built from whole crops: a box not within 1 % of the picture edge and covered by no other detection for more than 10 % of its area. The first whole crop replaces an appearance made of cut or overlapped ones (and is asked for at once under the decisive policy); after it, cut or overlapped crops still decide this frame's matches but stay out of the appearance. Measured by agent/bench/reid-replay.ts.",
      ),
    embedding_contest: z
      .enum(EMBEDDING_CONTESTS)
      .default('cascade')
      .describe(
        "Decisive policy with motion_rule cascade, which rivals make a detection contested (worth an embedding): pairs = any two track-detection pairs within the appearance margin (the rule before issue 13); cascade = only rivals the cascade's rounds let compete: the tracker settles every overlapping pair before any non-overlapping reach, so a reach rival counts only where it is in the second round anyway or where the appearance gate could veto both overlapping pairs in its way (two people who met and turn back); cascade_no_veto = each round on its own, as if the gate never vetoed (about 40 % fewer embeddings than cascade on the 1 fps street loop, but two people who meet and turn back at 1 fps swap ids). Measured by agent/bench/reid-replay.ts.",
      ),
  })
  .superRefine(lowNotAboveHigh)
  .describe('Multi-object tracker (StrongSORT class).');

/** Cross-field check: the low-score band must sit below the high-score one (when both are set here). */
function lowNotAboveHigh(t: { low_threshold?: number | undefined; high_threshold?: number | undefined }, ctx: z.RefinementCtx): void {
  if (t.low_threshold !== undefined && t.high_threshold !== undefined && t.low_threshold > t.high_threshold) {
    ctx.addIssue({
      code: 'custom',
      path: ['low_threshold'],
      message: `low_threshold (${t.low_threshold}) must not exceed high_threshold (${t.high_threshold})`,
    });
  }
}
