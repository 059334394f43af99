/**
 * `eval events` on small hand-made cases whose answers are worked out by hand: identities tied by
 * the per-frame MOT matching, the role confusion matrix, interval matching (one-to-one, by overlap),
 * per-seller counts, and the events.json reader's errors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MotRow } from '../../agent/src/io/mot.js';
import {
  evaluateEvents,
  formatEventsFile,
  parseEventsFile,
  readPrediction,
  readLabelledFolder,
  temporalIou,
  type EventsFile,
  type InteractionLabel,
  type LabelledSet,
} from '../../agent/src/eval/events/index.js';
import { FailureError, MisuseError } from '../../agent/src/core/errors.js';
import { formatEventsReport } from '../../agent/src/cli/commands/eval.js';

const FRAMES = [1, 2, 3, 4, 5, 6];
const row = (frame: number, id: number, x: number): MotRow => ({ frame, id, x, y: 100, w: 50, h: 150, conf: 1 });
/** Identity id walks at x on every frame in `frames`. */
const walk = (id: number, x: number, frames = FRAMES): MotRow[] => frames.map((f) => row(f, id, x));
const file = (roles: EventsFile['roles'], events: InteractionLabel[] = []): EventsFile => ({
  version: 1,
  camera: 'cam',
  fps: 25,
  sampled_frames: FRAMES,
  roles,
  events,
});
const ev = (seller: number, customer: number, start: number, end: number, kind: InteractionLabel['kind'] = 'consultation'): InteractionLabel => ({
  kind,
  seller,
  customer,
  start,
  end,
});

// Ground truth: seller 1 at x 0, customers 2 at x 200 and 3 at x 400.
const GT_ROWS = [...walk(1, 0), ...walk(2, 200), ...walk(3, 400)];

describe('evaluateEvents', () => {
  it('ties predicted identities to labelled ones by the frames they match, and scores roles', () => {
    const gt: LabelledSet = { rows: GT_ROWS, events: file({ '1': 'staff', '2': 'customer', '3': 'customer' }) };
    // The tracker calls the seller 10, the first customer 20 on frames 1-4 and 21 (a fragment) on
    // 5-6, and never finds customer 3. It calls 20 staff by mistake.
    const pred: LabelledSet = {
      rows: [...walk(10, 2), ...walk(20, 203, [1, 2, 3, 4]), ...walk(21, 203, [5, 6])],
      events: file({ '10': 'staff', '20': 'staff', '21': 'customer' }),
    };
    const r = evaluateEvents(gt, pred);
    expect(r.roles.matrix).toEqual({ staff: { staff: 1, customer: 0, missed: 0 }, customer: { staff: 1, customer: 0, missed: 1 } });
    expect(r.roles.accuracy).toBeCloseTo(1 / 3, 10);
    expect(r.roles.identities).toEqual([
      { gt: 1, role: 'staff', pred: 10, predRole: 'staff', frames: 6 },
      { gt: 2, role: 'customer', pred: 20, predRole: 'staff', frames: 4 },
      { gt: 3, role: 'customer', pred: null, predRole: null, frames: 0 },
    ]);
  });

  it('a box too far off (IoU < 0.5) does not tie identities', () => {
    const gt: LabelledSet = { rows: walk(1, 0), events: file({ '1': 'staff' }) };
    const pred: LabelledSet = { rows: walk(9, 30), events: file({ '9': 'staff' }) }; // IoU 20/80 = 0.25
    expect(evaluateEvents(gt, pred).roles.matrix.staff).toEqual({ staff: 0, customer: 0, missed: 1 });
  });

  it('matches intervals one to one by overlap and reports precision, recall and whether the people agree', () => {
    const gt: LabelledSet = {
      rows: GT_ROWS,
      events: file({ '1': 'staff', '2': 'customer', '3': 'customer' }, [ev(1, 2, 1, 3), ev(1, 3, 4, 6), ev(1, 2, 5, 6, 'checkout')]),
    };
    const predRows = [...walk(10, 0), ...walk(20, 200), ...walk(30, 400)];
    // Two predictions overlap the first labelled one: only the better overlap counts, the other is
    // a false positive. The second labelled one is found with the wrong customer. No checkout found.
    const pred: LabelledSet = {
      rows: predRows,
      events: file({ '10': 'staff', '20': 'customer', '30': 'customer' }, [ev(10, 20, 1, 3), ev(10, 20, 3, 3), ev(10, 20, 4, 5)]),
    };
    const r = evaluateEvents(gt, pred);
    const c = r.interactions.consultation;
    expect([c.gt, c.pred, c.matched, c.matchedSamePeople]).toEqual([2, 3, 2, 1]);
    expect(c.precision).toBeCloseTo(2 / 3, 10);
    expect(c.recall).toBe(1);
    expect(c.pairs.map((p) => [p.gt.start, p.pred.start, p.iou, p.samePeople])).toEqual([
      [1, 1, 1, true],
      [4, 4, 2 / 3, false],
    ]);
    expect(r.interactions.checkout).toMatchObject({ gt: 1, pred: 0, matched: 0, precision: 0, recall: 0 });
    expect(r.perSeller).toEqual({ '1': { gt: 2, pred: 3 } });
    const text = formatEventsReport(r);
    expect(text).toContain('  consultation  labelled 2, predicted 3, matched 2 (same seller and customer 1); precision 66.7%, recall 100.0%');
    expect(text).toContain('  seller 1: 2 / 3');
    expect(text).toContain('  staff         1         0       0');
  });

  it('--min-overlap refuses pairs that overlap too little; disjoint intervals never match', () => {
    const gt: LabelledSet = { rows: GT_ROWS, events: file({ '1': 'staff' }, [ev(1, 2, 1, 4)]) };
    const pred: LabelledSet = { rows: [...walk(10, 0), ...walk(20, 200)], events: file({ '10': 'staff' }, [ev(10, 20, 4, 6)]) };
    expect(temporalIou({ start: 1, end: 4 }, { start: 4, end: 6 })).toBeCloseTo(1 / 6, 10);
    expect(evaluateEvents(gt, pred).interactions.consultation.matched).toBe(1);
    expect(evaluateEvents(gt, pred, { minOverlap: 0.2 }).interactions.consultation.matched).toBe(0);
    expect(temporalIou({ start: 1, end: 2 }, { start: 3, end: 4 })).toBe(0);
  });

  it('counts a predicted consultation whose seller is no labelled staff under "unmatched"', () => {
    const gt: LabelledSet = { rows: GT_ROWS, events: file({ '1': 'staff', '2': 'customer', '3': 'customer' }, []) };
    const pred: LabelledSet = { rows: [...walk(10, 0), ...walk(20, 200), ...walk(30, 400)], events: file({ '20': 'staff' }, [ev(20, 30, 1, 6)]) };
    const r = evaluateEvents(gt, pred);
    expect(r.perSeller).toEqual({ unmatched: { gt: 0, pred: 1 } });
    expect(r.interactions.consultation).toMatchObject({ gt: 0, pred: 1, precision: 0, recall: 1 });
  });
});

describe('events.json', () => {
  const good = file({ '1': 'staff', '2': 'customer' }, [ev(1, 2, 1, 6, 'checkout')]);

  it('round-trips through its text form', () => {
    expect(parseEventsFile(formatEventsFile(good), 'events.json')).toEqual(good);
  });

  it.each([
    [{ ...good, events: [ev(1, 2, 5, 3)] }, 'x/events.json: events.0.end: end must be >= start'],
    [{ ...good, events: [ev(1, 1, 1, 3)] }, 'events.0.customer: seller and customer must be different identities'],
    [{ ...good, roles: { '1': 'manager' } }, 'roles.1: Invalid option'],
    [{ ...good, extra: 1 }, '(top level): Unrecognized key: "extra"'],
    [{ ...good, version: 2 }, 'version: Invalid input: expected 1'],
  ])('names the bad key: %#', (value, message) => {
    expect(() => parseEventsFile(JSON.stringify(value), 'x/events.json')).toThrow(message);
  });

  it('a folder that is neither labels nor analyze output is refused with what it needs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-events-'));
    expect(() => readLabelledFolder(dir)).toThrow(MisuseError);
    expect(() => readLabelledFolder(dir)).toThrow('not a labelled folder (needs gt.txt and events.json');
    writeFileSync(join(dir, 'gt.txt'), '1,1,0,0,10,10,1,-1,-1,-1\n');
    writeFileSync(join(dir, 'events.json'), '{"version": 1,');
    expect(() => readLabelledFolder(dir)).toThrow(FailureError);
    writeFileSync(join(dir, 'events.json'), formatEventsFile(good));
    const gt = readLabelledFolder(dir);
    const empty = mkdtempSync(join(tmpdir(), 'fs-events-pred-'));
    expect(() => readPrediction(empty, gt)).toThrow('nor analyze output for camera "cam" (cam.txt + cam.json)');
  });
});
