/**
 * `floorsense eval mot` and `floorsense eval det`: thin shells over agent/src/eval.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { FailureError, MisuseError } from '../../core/errors.js';
import { readMotFile } from '../../io/mot.js';
import { evaluateMotSequences, pickSummary, type MotSequenceInput } from '../../eval/mot/index.js';
import { plotTrajectories } from '../../eval/mot/plot.js';
import { formatMotTable } from '../../eval/mot/table.js';
import { encodePng } from '../../render/index.js';
import { collectDetections, evaluateDetections, formatDetTable, listLabelledImages, readDatasetLabels } from '../../eval/det/index.js';
import { DETECTOR_DEFAULTS } from '../../detect/defaults.js';
import { loadConfigFile } from '../../config/load.js';
import { evaluateEvents, readLabelledFolder, readPrediction, type EventsEvaluation } from '../../eval/events/index.js';

export interface MotPairSpec {
  readonly name: string;
  readonly gt: string;
  readonly pred: string;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** A positive integer flag value, or a misuse error naming the flag. */
export function parsePositiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new MisuseError('FS_BAD_ARGUMENT', `${flag} must be an integer >= 1, got "${v}"`, { flag, value: v });
  return Number(v);
}

function parseFraction(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !(n > 0 && n <= 1)) throw new MisuseError('FS_BAD_ARGUMENT', `${flag} must be a number in (0, 1], got "${v}"`, { flag, value: v });
  return n;
}

/**
 * Sequence specs from repeated --gt/--pred (paired in order) and --seq name:gt:pred.
 * A --gt/--pred pair is named after the GT file's folder (MOT17's <seq>/gt/gt.txt: the folder above).
 */
export function motPairs(gts: readonly string[], preds: readonly string[], seqs: readonly string[]): MotPairSpec[] {
  if (gts.length !== preds.length) {
    throw new MisuseError('FS_BAD_ARGUMENT', `give one --pred for each --gt (got ${gts.length} --gt and ${preds.length} --pred)`);
  }
  const out: MotPairSpec[] = gts.map((gt, i) => ({ name: seqNameFor(gt), gt, pred: preds[i]! }));
  for (const s of seqs) {
    const parts = s.split(':');
    if (parts.length !== 3 || parts.some((p) => p === '')) {
      throw new MisuseError('FS_BAD_ARGUMENT', `--seq "${s}" must be name:gt.txt:pred.txt (paths without ':')`, { seq: s });
    }
    out.push({ name: parts[0]!, gt: parts[1]!, pred: parts[2]! });
  }
  if (out.length === 0) throw new MisuseError('FS_BAD_ARGUMENT', 'eval mot: give --gt FILE --pred FILE, or --seq name:gt:pred');
  // Same folder names (e.g. two runs of one sequence): number them rather than refuse.
  const seen = new Map<string, number>();
  return out.map((p) => {
    const n = (seen.get(p.name) ?? 0) + 1;
    seen.set(p.name, n);
    return n === 1 ? p : { ...p, name: `${p.name}#${n}` };
  });
}

function seqNameFor(gtPath: string): string {
  const dir = dirname(gtPath);
  const name = basename(dir) === 'gt' ? basename(dirname(dir)) : basename(dir);
  return name === '' || name === '.' ? basename(gtPath) : name;
}

interface MotCliOptions {
  gt: string[];
  pred: string[];
  seq: string[];
  json?: boolean;
  stride?: string;
  iou?: string;
  plot?: string;
}

interface DetCliOptions {
  images: string;
  labels: string;
  classes: string[];
  json?: boolean;
  model?: string;
  conf: string;
  nmsIou: string;
  opConf: string;
  maxDets: string;
}

function parseUnit(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !(n >= 0 && n <= 1)) throw new MisuseError('FS_BAD_ARGUMENT', `${flag} must be a number in [0, 1], got "${v}"`, { flag, value: v });
  return n;
}

async function runEvalDet(opts: DetCliOptions): Promise<void> {
  const conf = parseUnit('--conf', opts.conf);
  const nmsIou = parseUnit('--nms-iou', opts.nmsIou);
  const operatingThreshold = parseUnit('--op-conf', opts.opConf);
  const maxDets = parsePositiveInt('--max-dets', opts.maxDets);
  const classNames = opts.classes
    .flatMap((c) => c.split(','))
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const items = listLabelledImages(opts.images, opts.labels);
  const labels = readDatasetLabels(items);
  // Loaded here, not at the top: `eval mot` and the rest of the CLI must not pay for (or break
  // with) onnxruntime and ffmpeg.
  const { COCO80, Detector } = await import('../../detect/index.js');
  const { loadImageLetterboxed } = await import('../../ingest/index.js');
  const detector = await Detector.create({
    ...(opts.model ? { model: opts.model } : {}),
    conf_threshold: conf,
    iou_threshold: nmsIou,
    // Without --classes, score every class a COCO model knows.
    classes: classNames.length ? classNames : COCO80,
    // Still images of every shape (COCO has portrait ones): the model's own square input, not one
    // fitted to 16:9 cameras.
    input: 'native',
    warn: (m) => console.error(`floorsense: ${m}`),
  });
  try {
    const { width, height } = detector.inputSize;
    const { gt, pred } = await collectDetections(items, labels, {
      load: (path) => loadImageLetterboxed(path, width, height),
      detect: (frame) => detector.detect(frame),
    });
    const classes = classNames.length ? classNames.map((n) => detector.classNames.indexOf(n)) : undefined;
    const m = evaluateDetections(gt, pred, { classNames: detector.classNames, operatingThreshold, maxDets, ...(classes ? { classes } : {}) });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ model: detector.model.name, conf, nmsIou, ...m })}\n`);
    } else {
      process.stdout.write(`model ${detector.model.name} (${detector.provider}), ${m.numImages} images, conf ${conf}, NMS IoU ${nmsIou}\n`);
      process.stdout.write(formatDetTable(m));
    }
  } finally {
    await detector.close();
  }
}

interface EventsCliOptions {
  gt: string;
  pred: string;
  config?: string;
  json?: boolean;
  iou?: string;
  minOverlap?: string;
}

/** The text form of `eval events`: confusion matrix, interaction precision/recall, per-seller counts. */
export function formatEventsReport(e: EventsEvaluation): string {
  const m = e.roles.matrix;
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  const out = [
    'roles (identities; rows labelled, columns predicted):',
    '            staff  customer  missed',
    ...(['staff', 'customer'] as const).map(
      (r) => `  ${r.padEnd(9)} ${String(m[r].staff).padStart(5)} ${String(m[r].customer).padStart(9)} ${String(m[r].missed).padStart(7)}`,
    ),
    `  accuracy ${pct(e.roles.accuracy)}`,
    '',
    'interactions (matched by interval overlap):',
    ...Object.entries(e.interactions).map(
      ([k, s]) =>
        `  ${k.padEnd(13)} labelled ${s.gt}, predicted ${s.pred}, matched ${s.matched} (same seller and customer ${s.matchedSamePeople}); precision ${pct(s.precision)}, recall ${pct(s.recall)}`,
    ),
    '',
    'consultations per seller (labelled / predicted):',
    ...Object.entries(e.perSeller).map(([k, s]) => `  ${k === 'unmatched' ? 'no labelled seller' : `seller ${k}`}: ${s.gt} / ${s.pred}`),
  ];
  if (Object.keys(e.perSeller).length === 0) out.push('  none');
  return `${out.join('\n')}\n`;
}

export function runEvalEvents(opts: EventsCliOptions): EventsEvaluation {
  const iouThreshold = parseFraction('--iou', opts.iou ?? '0.5');
  const minOverlap = parseUnit('--min-overlap', opts.minOverlap ?? '0');
  const gt = readLabelledFolder(opts.gt);
  const config = opts.config ? loadConfigFile(opts.config) : undefined;
  const pred = readPrediction(opts.pred, gt, config);
  return evaluateEvents(gt, pred, { iouThreshold, minOverlap });
}

export function registerEvalCommand(program: Command): void {
  const cmd = program.command('eval').description('Score tracking and detection against ground truth');
  cmd
    .command('events')
    .description(
      'Roles (staff/customer confusion by identity) and consultations (precision and recall by interval overlap, per-seller counts) against a labelled folder',
    )
    .requiredOption('--gt <dir>', 'labelled folder: gt.txt (MOT) + events.json (roles, consultations), as `floorsense label` saves it')
    .requiredOption('--pred <dir>', 'another labelled folder, or `analyze` output (<camera>.txt + <camera>.json) scored through the scene chain')
    .option('--config <file>', 'store config whose analytics and camera zones score analyze output (default: analytics defaults, no zones)')
    .option('--iou <t>', 'box IoU that ties a predicted identity to a labelled one in a frame', '0.5')
    .option('--min-overlap <t>', 'temporal IoU an interval pair needs to match (0: any overlap)', '0')
    .option('--json', 'print one JSON object: roles {matrix, accuracy, identities}, interactions {consultation, checkout}, perSeller')
    .action((opts: EventsCliOptions) => {
      const e = runEvalEvents(opts);
      process.stdout.write(opts.json ? `${JSON.stringify(e)}\n` : formatEventsReport(e));
    });
  cmd
    .command('det')
    .description(
      'Run the detector over a YOLO-format labelled image set and report COCO-style AP50 and AP50-95 (pycocotools matching, 101-point interpolation), overall and per class',
    )
    .requiredOption('--images <dir>', 'folder of images (jpg, png, ...)')
    .requiredOption('--labels <dir>', 'folder of YOLO label files: <image stem>.txt with "class cx cy w h" normalised; a missing file means no objects')
    .option('--classes <names>', 'evaluate only these classes (comma-separated or repeated), e.g. person', collect, [])
    .option('--model <name>', `manifest name or .onnx path (default ${DETECTOR_DEFAULTS.model})`)
    .option('--conf <t>', 'detector score threshold; low, as Ultralytics val uses, so the whole precision/recall curve counts', '0.001')
    .option('--nms-iou <t>', 'NMS IoU threshold (Ultralytics val: 0.7)', '0.7')
    .option('--op-conf <t>', 'operating threshold for the precision/recall columns', String(DETECTOR_DEFAULTS.conf_threshold))
    .option('--max-dets <n>', 'detections kept per image and class (COCO maxDets)', '100')
    .option('--json', 'print one JSON object: AP50, AP50_95, precision, recall, perClass[...] (fractions)')
    .action((opts: DetCliOptions) => runEvalDet(opts));
  cmd
    .command('mot')
    .description('CLEAR MOT + identity metrics (as py-motmetrics computes them) and HOTA (as TrackEval does) for MOTChallenge CSV files')
    .option('--gt <file>', 'ground truth, MOTChallenge CSV (repeatable)', collect, [])
    .option('--pred <file>', 'tracker output, MOTChallenge CSV (repeatable, paired with --gt in order)', collect, [])
    .option('--seq <name:gt:pred>', 'a named sequence (repeatable)', collect, [])
    .option('--json', 'print one JSON object: MOTA, MOTP, IDF1, ... as fractions; several sequences: {"sequences": {name: {...}}, "combined": {...}}')
    .option('--stride <n>', 'keep only frames where (frame - 1) % n == 0, in GT and predictions', '1')
    .option('--iou <t>', 'IoU a match needs for CLEAR/identity metrics', '0.5')
    .option('--plot <out.png>', 'write a trajectory plot (frame vs box centre x; GT above, tracker below; misses, false positives, ID switches marked)')
    .addHelpText(
      'after',
      [
        '',
        'Sequences:',
        '  one:      --gt gt.txt --pred tracks.txt',
        "  several:  repeat --gt/--pred (paired in order; each named after the GT file's folder),",
        '            or --seq name:gt.txt:pred.txt (repeatable; paths must not contain ":").',
        "  Several sequences print a row each and a COMBINED row: counts summed as py-motmetrics' OVERALL,",
        '  HOTA combined as TrackEval does (TP/FN/FP summed per alpha, AssA and LocA weighted by TP).',
        'MOTP is the mean (1 - IoU) of matches, as py-motmetrics reports it; the table also shows MOTP(IoU),',
        "the MOTChallenge devkit's mean IoU. All ratios are fractions (0.527, not 52.7).",
        '',
      ].join('\n'),
    )
    .action((opts: MotCliOptions) => {
      const stride = parsePositiveInt('--stride', opts.stride ?? '1');
      const iouThreshold = parseFraction('--iou', opts.iou ?? '0.5');
      const specs = motPairs(opts.gt, opts.pred, opts.seq);
      const inputs: MotSequenceInput[] = specs.map((s) => ({ name: s.name, gt: readMotFile(s.gt), pred: readMotFile(s.pred) }));
      const res = evaluateMotSequences(inputs, { stride, iouThreshold });
      if (opts.json) {
        const out =
          res.sequences.length === 1
            ? pickSummary(res.sequences[0]!.metrics)
            : { sequences: Object.fromEntries(res.sequences.map((s) => [s.name, pickSummary(s.metrics)])), combined: pickSummary(res.combined) };
        process.stdout.write(`${JSON.stringify(out)}\n`);
      } else {
        const rows = res.sequences.map((s) => ({ name: s.name, metrics: s.metrics }));
        if (rows.length > 1) rows.push({ name: 'COMBINED', metrics: res.combined });
        process.stdout.write(formatMotTable(rows));
      }
      // After the numbers are out, so a bad --plot path loses nothing.
      if (opts.plot) {
        const png = encodePng(
          plotTrajectories(
            inputs.map((s, i) => ({ ...s, metrics: res.sequences[i]!.metrics })),
            { stride, iouThreshold },
          ),
        );
        writeOutput(opts.plot, png);
        if (!opts.json) process.stdout.write(`plot: ${opts.plot}\n`);
      }
    });
}

function writeOutput(path: string, data: Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : String(e);
    throw new FailureError('FS_FILE_NOT_FOUND', `cannot write ${path}: ${code}`, { path }, { cause: e });
  }
}
