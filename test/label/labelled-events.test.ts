/**
 * The scene chain on the labelled boxes themselves (no detector, no video): whatever the tracker
 * does, the analytics must find what the labels say happened. The checkout clip's till service was
 * the fault: with no floor homography the cashier, whose box ends at the counter top, read 3.5-5 m
 * behind the customer she served (scene/observations.ts now bounds the depth of such boxes).
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEvalEvents } from '../../agent/src/cli/commands/eval.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const labels = (clip: string): string => join(REPO_ROOT, 'test', 'fixtures', 'labels', clip);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The labels laid out as analyze output: <camera>.txt (the boxes) and <camera>.json (the clip's time base). */
function asAnalyzeOutput(clip: string, fps: number, width: number, height: number): string {
  const dir = mkdtempSync(join(tmpdir(), `fs-labels-as-pred-${clip}-`));
  dirs.push(dir);
  copyFileSync(join(labels(clip), 'gt.txt'), join(dir, `${clip}.txt`));
  writeFileSync(join(dir, `${clip}.json`), JSON.stringify({ start: '2025-04-08T08:00:00Z', fps, width, height }));
  return dir;
}

describe('the scene chain on the hand-labelled boxes', () => {
  it('finds the checkout clip’s one till service, cashier and customer right, and no consultation', () => {
    const e = runEvalEvents({
      gt: labels('checkout_counter_cashier'),
      pred: asAnalyzeOutput('checkout_counter_cashier', 25, 768, 432),
      config: join(REPO_ROOT, 'config', 'stores', 'checkout-demo.yaml'),
    });
    expect(e.roles.accuracy).toBe(1);
    expect(e.interactions.checkout).toMatchObject({ gt: 1, pred: 1, matched: 1, matchedSamePeople: 1 });
    expect(e.interactions.consultation).toMatchObject({ gt: 0, pred: 0 });
  });

  it.each([
    ['store_aisle_shoppers', 15, 480, 270],
    ['indoor_one_by_one_person', 10, 768, 432],
  ])('%s (customers only): no interaction, every role right', (clip, fps, w, h) => {
    const e = runEvalEvents({ gt: labels(clip), pred: asAnalyzeOutput(clip, fps, w, h) });
    expect(e.roles.accuracy).toBe(1);
    expect(e.interactions.consultation.pred + e.interactions.checkout.pred).toBe(0);
  });
});
