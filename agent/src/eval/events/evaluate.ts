/**
 * Scoring roles and interactions against a labelled folder. Identities are tied together the way
 * the MOT metrics tie them: per frame, the CLEAR matching of eval/mot (IoU >= 0.5, the same
 * Hungarian matching py-motmetrics does); a predicted identity stands for the labelled identity it
 * was matched to in most frames. Then:
 * - roles: per labelled identity, its role against the role of the predicted identity matched to it
 *   in most frames ("missed" when never matched);
 * - interactions (per kind): a one-to-one assignment of labelled to predicted intervals maximising
 *   temporal IoU, a pair allowed when the intervals overlap by at least `minOverlap` (temporal IoU);
 *   precision = matched / predicted, recall = matched / labelled; of the matched, how many also
 *   name the same seller and customer (through the identity map);
 * - per seller: labelled count against predicted count of consultations whose seller maps to them.
 */
import { solveLsap } from '../../core/lsap.js';
import type { MotRow } from '../../io/mot.js';
import { clearEvents } from '../mot/clear.js';
import { framesFromRows } from '../mot/frames.js';
import { EVENT_KINDS, type EventKind, type EventsFile, type InteractionLabel, type LabelRole } from './format.js';

export interface LabelledSet {
  readonly rows: readonly MotRow[];
  readonly events: EventsFile;
}

export interface RoleConfusion {
  /** confusion[gtRole][predRole | 'missed'] = identities */
  readonly matrix: Record<LabelRole, Record<LabelRole | 'missed', number>>;
  /** Share of labelled identities (matched or not) whose predicted role is right. */
  readonly accuracy: number;
  readonly identities: {
    readonly gt: number;
    readonly role: LabelRole;
    readonly pred: number | null;
    readonly predRole: LabelRole | null;
    readonly frames: number;
  }[];
}

export interface IntervalScore {
  readonly gt: number;
  readonly pred: number;
  readonly matched: number;
  /** Of the matched, those whose seller and customer both map to the labelled ones. */
  readonly matchedSamePeople: number;
  readonly precision: number;
  readonly recall: number;
  readonly pairs: { readonly gt: InteractionLabel; readonly pred: InteractionLabel; readonly iou: number; readonly samePeople: boolean }[];
}

export interface EventsEvaluation {
  readonly roles: RoleConfusion;
  readonly interactions: Record<EventKind, IntervalScore>;
  /** Labelled seller id -> consultations labelled and predicted; predicted ones whose seller maps to no labelled identity under "unmatched". */
  readonly perSeller: Record<string, { readonly gt: number; readonly pred: number }>;
}

export interface EventsEvalOptions {
  readonly iouThreshold?: number;
  /** Temporal IoU an interval pair needs (default: any overlap). */
  readonly minOverlap?: number;
}

/** gt id -> (pred id -> frames matched), from the CLEAR per-frame matching on the labelled frames. */
function matchCounts(gt: readonly MotRow[], pred: readonly MotRow[], sampled: ReadonlySet<number>, iou: number): Map<number, Map<number, number>> {
  const frames = framesFromRows(
    gt,
    pred.filter((r) => sampled.has(r.frame)),
  );
  const out = new Map<number, Map<number, number>>();
  for (const f of clearEvents(frames, iou)) {
    for (const m of f.matches) {
      let row = out.get(m.gtId);
      if (!row) {
        row = new Map();
        out.set(m.gtId, row);
      }
      row.set(m.predId, (row.get(m.predId) ?? 0) + 1);
    }
  }
  return out;
}

function argmax(m: ReadonlyMap<number, number> | undefined): { id: number; n: number } | null {
  let best: { id: number; n: number } | null = null;
  for (const [id, n] of m ?? []) if (!best || n > best.n || (n === best.n && id < best.id)) best = { id, n };
  return best;
}

export function temporalIou(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const inter = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  if (inter < 0) return 0;
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  // Frames are inclusive: a one-frame interval has length 1, so two equal points have IoU 1.
  return (inter + 1) / (union + 1);
}

function scoreIntervals(
  gt: readonly InteractionLabel[],
  pred: readonly InteractionLabel[],
  predToGt: ReadonlyMap<number, number>,
  minOverlap: number,
): IntervalScore {
  const pairs: IntervalScore['pairs'][number][] = [];
  if (gt.length > 0 && pred.length > 0) {
    // Rows <= cols for the solver; the 2 offset makes a forbidden pair cost more than leaving both unmatched.
    const transpose = gt.length > pred.length;
    const [rowsL, colsL] = transpose ? [pred, gt] : [gt, pred];
    const cost = new Float64Array(rowsL.length * colsL.length);
    const ious = rowsL.map((r) => colsL.map((c) => temporalIou(r, c)));
    for (let i = 0; i < rowsL.length; i++)
      for (let j = 0; j < colsL.length; j++) {
        const v = ious[i]![j]!;
        cost[i * colsL.length + j] = v > 0 && v >= minOverlap ? 1 - v : 2;
      }
    const colOf = solveLsap(cost, rowsL.length, colsL.length);
    for (let i = 0; i < rowsL.length; i++) {
      const j = colOf[i]!;
      const v = ious[i]![j]!;
      if (!(v > 0 && v >= minOverlap)) continue;
      const g = transpose ? colsL[j]! : rowsL[i]!;
      const p = transpose ? rowsL[i]! : colsL[j]!;
      pairs.push({ gt: g, pred: p, iou: v, samePeople: predToGt.get(p.seller) === g.seller && predToGt.get(p.customer) === g.customer });
    }
  }
  const matched = pairs.length;
  return {
    gt: gt.length,
    pred: pred.length,
    matched,
    matchedSamePeople: pairs.filter((p) => p.samePeople).length,
    precision: pred.length ? matched / pred.length : gt.length ? 0 : 1,
    recall: gt.length ? matched / gt.length : 1,
    pairs: pairs.sort((a, b) => a.gt.start - b.gt.start),
  };
}

export function evaluateEvents(gt: LabelledSet, pred: LabelledSet, o: EventsEvalOptions = {}): EventsEvaluation {
  const sampled = new Set(gt.events.sampled_frames);
  const counts = matchCounts(gt.rows, pred.rows, sampled, o.iouThreshold ?? 0.5);
  // Each predicted identity stands for the labelled identity it covered in most frames.
  const predToGt = new Map<number, number>();
  const bestForPred = new Map<number, number>();
  for (const [g, row] of counts)
    for (const [p, n] of row) {
      if (n > (bestForPred.get(p) ?? 0) || (n === bestForPred.get(p) && g < predToGt.get(p)!)) {
        bestForPred.set(p, n);
        predToGt.set(p, g);
      }
    }
  const matrix = { staff: { staff: 0, customer: 0, missed: 0 }, customer: { staff: 0, customer: 0, missed: 0 } };
  const identities: RoleConfusion['identities'][number][] = [];
  const gtIds = [...new Set(gt.rows.map((r) => r.id))].sort((a, b) => a - b);
  let right = 0;
  let labelled = 0;
  for (const g of gtIds) {
    const role = gt.events.roles[String(g)];
    if (!role) continue; // an identity without a role label is not scored on roles
    labelled++;
    const best = argmax(counts.get(g));
    const predRole = best ? (pred.events.roles[String(best.id)] ?? 'customer') : null;
    matrix[role][predRole ?? 'missed']++;
    if (predRole === role) right++;
    identities.push({ gt: g, role, pred: best?.id ?? null, predRole, frames: best?.n ?? 0 });
  }
  const interactions = Object.fromEntries(
    EVENT_KINDS.map((k) => [
      k,
      scoreIntervals(
        gt.events.events.filter((e) => e.kind === k),
        pred.events.events.filter((e) => e.kind === k),
        predToGt,
        o.minOverlap ?? 0,
      ),
    ]),
  ) as Record<EventKind, IntervalScore>;
  const perSeller: Record<string, { gt: number; pred: number }> = {};
  const bump = (key: string, which: 'gt' | 'pred'): void => {
    const s = perSeller[key] ?? { gt: 0, pred: 0 };
    perSeller[key] = s;
    s[which]++;
  };
  for (const e of gt.events.events) if (e.kind === 'consultation') bump(String(e.seller), 'gt');
  for (const e of pred.events.events) {
    if (e.kind !== 'consultation') continue;
    const g = predToGt.get(e.seller);
    bump(g !== undefined && gt.events.roles[String(g)] === 'staff' ? String(g) : 'unmatched', 'pred');
  }
  return { roles: { matrix, accuracy: labelled ? right / labelled : 1, identities }, interactions, perSeller };
}
