/** `floorsense eval mot` through the real CLI entry point, on the shared TUD files. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../agent/src/cli/main.js';
import { MOT_SUMMARY_KEYS } from '../../agent/src/eval/mot/index.js';
import { motPairs } from '../../agent/src/cli/commands/eval.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const campus = ['--gt', dataPath('mot/TUD-Campus/gt.txt'), '--pred', dataPath('mot/TUD-Campus/test_cem.txt')];
const stadt = ['--gt', dataPath('mot/TUD-Stadtmitte/gt.txt'), '--pred', dataPath('mot/TUD-Stadtmitte/test_cem.txt')];

describe.skipIf(!haveData('mot/TUD-Campus/gt.txt', 'mot/TUD-Stadtmitte/test_cem.txt'))('floorsense eval mot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-evalmot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints exactly the documented keys, as fractions', async () => {
    const r = await run(['eval', 'mot', ...campus, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, number>;
    expect(Object.keys(j)).toEqual([...MOT_SUMMARY_KEYS]);
    expect(j.MOTA).toBeCloseTo(0.526462, 5);
    expect(j.HOTA).toBeCloseTo(0.3914, 3);
    expect(j.IDSW).toBe(7);
  });

  it('several sequences give per-sequence rows and a combined row, in JSON and as a table', async () => {
    const j = JSON.parse((await run(['eval', 'mot', ...campus, ...stadt, '--json'])).out) as {
      sequences: Record<string, Record<string, number>>;
      combined: Record<string, number>;
    };
    expect(Object.keys(j.sequences)).toEqual(['TUD-Campus', 'TUD-Stadtmitte']);
    expect(j.combined.MOTA).toBeCloseTo(0.555116, 5);
    expect(j.combined.FN).toBe(602);

    const seqForm = `town:${dataPath('mot/TUD-Stadtmitte/gt.txt')}:${dataPath('mot/TUD-Stadtmitte/test_cem.txt')}`;
    const t = await run(['eval', 'mot', ...campus, '--seq', seqForm]);
    const lines = t.out.trimEnd().split('\n');
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['TUD-Campus', 'town', 'COMBINED']);
    expect(lines[0]).toMatch(/^\s+MOTA\s+MOTP\s+MOTP\(IoU\)\s+IDF1/);
    expect(lines[3]).toMatch(/^COMBINED\s+0\.555\s/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1); // aligned
  });

  it('--stride thins both files; --plot writes a PNG of the expected size', async () => {
    const png = join(dir, 'plot.png');
    const s1 = JSON.parse((await run(['eval', 'mot', ...campus, '--json'])).out) as Record<string, number>;
    const s5 = JSON.parse((await run(['eval', 'mot', ...campus, '--json', '--stride', '5', '--plot', png])).out) as Record<string, number>;
    expect(s5.FN).not.toBe(s1.FN);
    const buf = readFileSync(png);
    expect(buf.toString('ascii', 1, 4)).toBe('PNG');
    expect([buf.readUInt32BE(16), buf.readUInt32BE(20)]).toEqual([1400, 900]);
    expect(inflateSync(buf.subarray(41, 41 + buf.readUInt32BE(33))).length).toBe(900 * (1400 * 3 + 1));
  });

  it.each([
    [['eval', 'mot', '--gt', 'a.txt'], 2, /one --pred for each --gt/],
    [['eval', 'mot'], 2, /give --gt FILE --pred FILE/],
    [['eval', 'mot', ...campus, '--stride', 'x'], 2, /--stride must be an integer >= 1, got "x"/],
    [['eval', 'mot', ...campus, '--iou', '2'], 2, /--iou must be a number in \(0, 1\]/],
    [['eval', 'mot', '--seq', 'only:one'], 2, /--seq "only:one" must be name:gt.txt:pred.txt/],
    [['eval', 'mot', '--gt', '/nonexistent/gt.txt', '--pred', '/nonexistent/p.txt'], 1, /cannot read \/nonexistent\/gt.txt: ENOENT/],
  ])('%j fails with code %i', async (args, code, msg) => {
    const r = await run(args);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(msg);
  });

  it('a malformed row names the file and line', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '1,1,10,10,5,5,1\n2,1,ten,10,5,5,1\n');
    const r = await run(['eval', 'mot', '--gt', bad, '--pred', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:2: value 3 ("ten") is not a number`);
  });
});

describe('sequence naming', () => {
  it('names pairs after the GT folder (MOT17 layout: the folder above gt/) and numbers repeats', () => {
    expect(motPairs(['d/TUD-Campus/gt.txt', 'MOT17-02/gt/gt.txt', 'x/TUD-Campus/gt.txt'], ['a', 'b', 'c'], []).map((p) => p.name)).toEqual([
      'TUD-Campus',
      'MOT17-02',
      'TUD-Campus#2',
    ]);
  });
});
