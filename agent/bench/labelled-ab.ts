/**
 * The labelled real set (test/fixtures/labels/baseline.json) under detector settings other than the
 * product defaults: for each variant, each clip goes through `floorsense analyze --fps 2` with the
 * clip's own config plus the variant's detector keys, then `eval mot` and `eval events`, as
 * test/label/labelled-set.test.ts does for the defaults. Prints the figures beside the baseline.
 *
 *   npx tsc -p tsconfig.json && npx tsx agent/bench/labelled-ab.ts [--variants precision=fp32;precision=int8,input=auto] [--long] [--json]
 *
 * --long adds baseline.json's long clips (the indoor one, about a minute of CPU a run).
 * --fill N also scores each run with every track's gaps of up to N sampled frames filled by linear
 * interpolation (as a track is present between its rows downstream): adaptive sampling's quiet skips
 * leave frames without rows, which eval mot counts as misses. Every variant is filled alike, so a
 * detector miss the full rate coasts over is filled there too.
 *
 * A variant is `key=value` pairs joined by commas (a bare key is the detector section's, else
 * a dotted path, e.g. tracker.high_threshold=0.33 or analytics.consultation.min_seconds=18); variants are separated by semicolons.
 * `default` is the product defaults.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { type MotRow, readMotFile, writeMotFile } from '../src/io/mot.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
const { values } = parseArgs({
  options: {
    variants: { type: 'string', default: 'default;precision=int8' },
    out: { type: 'string', default: 'out/labelled-ab' },
    json: { type: 'boolean', default: false },
    long: { type: 'boolean', default: false },
    fill: { type: 'string', default: '0' },
  },
});
interface Clip {
  video: string;
  config?: string;
  figures: { mot: Record<string, number>; interactions: Record<string, { precision: number; recall: number }> };
}
const baseline = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'labels', 'baseline.json'), 'utf8')) as {
  clips: Record<string, Clip>;
  long_clips: Record<string, Clip | string>;
};
const clips: Record<string, Clip> = { ...baseline.clips };
// long_clips also holds an 'about' note.
if (values.long) for (const [name, c] of Object.entries(baseline.long_clips)) if (typeof c !== 'string') clips[name] = c;
const cli = (args: string[]) =>
  execFileSync(process.execPath, [join(repoRoot, 'bin', 'floorsense.js'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const results: Record<string, Record<string, unknown>> = {};
const FILL = Number(values.fill);

/** Each track's gaps of up to `maxSteps` sampling steps (`step` source frames) filled by linear interpolation. */
function fillGaps(rows: readonly MotRow[], step: number, maxSteps: number): MotRow[] {
  const byId = new Map<number, MotRow[]>();
  for (const r of rows) (byId.get(r.id) ?? byId.set(r.id, []).get(r.id)!).push(r);
  const out = [...rows];
  for (const track of byId.values()) {
    track.sort((a, b) => a.frame - b.frame);
    for (let i = 1; i < track.length; i++) {
      const a = track[i - 1]!;
      const b = track[i]!;
      if (b.frame - a.frame > step * maxSteps) continue;
      for (let f = a.frame + step; f < b.frame; f += step) {
        const u = (f - a.frame) / (b.frame - a.frame);
        const mix = (x: number, y: number) => x + u * (y - x);
        out.push({ frame: f, id: a.id, x: mix(a.x, b.x), y: mix(a.y, b.y), w: mix(a.w, b.w), h: mix(a.h, b.h), conf: a.conf });
      }
    }
  }
  return out.sort((a, b) => a.frame - b.frame || a.id - b.id);
}
for (const variant of values.variants.split(';')) {
  const pairs = variant === 'default' ? [] : variant.split(',').map((kv) => kv.split('=') as [string, string]);
  results[variant] = {};
  for (const [name, clip] of Object.entries(clips)) {
    const dir = resolve(values.out, variant.replace(/[^a-z0-9=,_-]/gi, '_'), name);
    mkdirSync(dir, { recursive: true });
    const cfg = (clip.config ? parse(readFileSync(join(repoRoot, clip.config), 'utf8')) : { store: { id: 'bench' } }) as Record<
      string,
      Record<string, unknown>
    >;
    for (const [key, v] of pairs) {
      const path = key.includes('.') ? key.split('.') : ['detector', key];
      let node: Record<string, unknown> = cfg;
      for (const p of path.slice(0, -1)) {
        node[p] ??= {};
        node = node[p] as Record<string, unknown>;
      }
      node[path.at(-1)!] = Number.isNaN(Number(v)) ? v : Number(v);
    }
    const cfgPath = join(dir, 'config.yaml');
    writeFileSync(cfgPath, stringify(cfg));
    const t0 = performance.now();
    cli(['analyze', join(data, clip.video), '--fps', '2', '--out', dir, '--config', cfgPath]);
    const wall = (performance.now() - t0) / 1000;
    const labels = join(repoRoot, 'test', 'fixtures', 'labels', name);
    const mot = JSON.parse(cli(['eval', 'mot', '--gt', join(labels, 'gt.txt'), '--pred', join(dir, `${name}.txt`), '--json'])) as Record<string, number>;
    // eval events reads zones from a config with cameras only (the test passes the clip's own, when it has one).
    const zones = clip.config ? ['--config', cfgPath] : [];
    const events = JSON.parse(cli(['eval', 'events', '--gt', labels, '--pred', dir, ...zones, '--json'])) as {
      roles: { accuracy: number };
      interactions: Record<string, { precision: number; recall: number }>;
    };
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, number>;
    const frames = { sampled: summary.frames_sampled!, inferred: summary.frames_inferred!, skipped_quiet: summary.frames_skipped_quiet ?? 0 };
    let filled: Record<string, number> | null = null;
    if (FILL > 0) {
      const step = Math.round(summary.sampling_interval_s! * summary.source_fps!);
      const path = join(dir, `${name}.filled.txt`);
      writeMotFile(path, fillGaps(readMotFile(join(dir, `${name}.txt`)), step, FILL));
      filled = JSON.parse(cli(['eval', 'mot', '--gt', join(labels, 'gt.txt'), '--pred', path, '--json'])) as Record<string, number>;
    }
    results[variant]![name] = { mot, ...(filled ? { filled } : {}), roles: events.roles.accuracy, interactions: events.interactions, frames, wall_s: wall };
    if (values.json) continue;
    const b = clip.figures;
    const f = (k: string) => `${k} ${mot[k]!.toFixed(3)} (${b.mot[k]!.toFixed(3)})`;
    const ix = Object.entries(events.interactions)
      .map(
        ([k, s]) =>
          `${k} P/R ${s.precision.toFixed(2)}/${s.recall.toFixed(2)} (${b.interactions[k]?.precision.toFixed(2)}/${b.interactions[k]?.recall.toFixed(2)})`,
      )
      .join(', ');
    console.log(
      `${variant.padEnd(28)} ${name.padEnd(26)} ${f('MOTA')} ${f('IDF1')} ${f('HOTA')} IDSW ${mot.IDSW} (${b.mot.IDSW}) recall ${mot.Recall!.toFixed(3)}${filled ? `; gaps <= ${FILL} filled: IDF1 ${filled.IDF1!.toFixed(3)} recall ${filled.Recall!.toFixed(3)} HOTA ${filled.HOTA!.toFixed(3)} IDSW ${filled.IDSW}` : ''}; frames ${frames.inferred}/${frames.sampled} inferred, ${frames.skipped_quiet} quiet; roles ${events.roles.accuracy.toFixed(2)}; ${ix}`,
    );
  }
}
if (values.json) console.log(JSON.stringify(results));
