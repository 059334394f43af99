/**
 * `floorsense doctor`: everything a field technician must see green before leaving a store, as one
 * row per check (pass / warn / fail, what was seen, and the fix). Checks run against the real box:
 * this Node, ffmpeg, the model files, the execution provider, every camera (probed and one frame
 * decoded), the disk, ClickHouse, the schedule, the API port and the folders the agent writes.
 * Pure verdict functions (testable in milliseconds) are kept apart from the probes that feed them.
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, extname, join } from 'node:path';
import { userInfo } from 'node:os';
import type { Config, CameraConfig } from '../config/schema.js';
import { errorText } from '../agent/logger.js';
import { redactSecrets } from '../core/redact.js';
import { DEFAULT_TOOLS, type ToolPaths } from '../ingest/tools.js';
import { runTool } from '../ingest/tools.js';
import { probeGop, probeStreamInfo } from '../ingest/probe.js';
import { grabStill } from '../ingest/still.js';
import { isLiveUrl } from '../ingest/source-url.js';
import type { SourceInfo } from '../ingest/source-info.js';
import { defaultModelsDir } from '../models/paths.js';
import { resolveModel } from '../models/resolve.js';
import { detectorOptionsFrom } from '../agent/analyze-options.js';
import { Detector, describeDetectorInput, type DetectorInput } from '../detect/detector.js';
import { fittedInput, type InputSize } from '../models/derive.js';
import { transportFor } from '../sync/service.js';
import { tableName } from '../sync/ddl.js';
import Database from 'better-sqlite3';
import { RECORD_TYPES } from '../store/records.js';
import { outboxBacklog, type Backlog } from '../store/outbox.js';
import { readScheduleSource } from '../sales/schedule-source.js';
import { parseScheduleCsv } from '../sales/schedule.js';

export type DoctorStatus = 'pass' | 'warn' | 'fail';

export interface DoctorRow {
  /** What is checked: node, ffmpeg, model, provider, camera, disk, clickhouse, clock, schedule, api, storage, logs. */
  readonly check: string;
  /** Which one (camera id, model name, path), when the check has several. */
  readonly subject: string;
  readonly status: DoctorStatus;
  /** What was seen (credentials redacted). */
  readonly detail: string;
  /** What to do about a warn or fail; empty on pass. */
  readonly fix: string;
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly counts: Readonly<Record<DoctorStatus, number>>;
  readonly rows: readonly DoctorRow[];
}

export interface DoctorOptions {
  readonly tools?: ToolPaths;
  /** Log folder the agent writes (systemd's LogsDirectory); checked when given. */
  readonly logDir?: string;
  /** Seconds of a live stream read to measure its keyframe interval. Default 6. */
  readonly gopWindowSec?: number;
  readonly now?: () => number;
}

function row(check: string, subject: string, status: DoctorStatus, detail: string, fix = ''): DoctorRow {
  return Object.freeze({ check, subject, status, detail: redactSecrets(detail), fix: status === 'pass' ? '' : redactSecrets(fix) });
}

export function summarize(rows: readonly DoctorRow[]): DoctorReport {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const r of rows) counts[r.status]++;
  return Object.freeze({ ok: counts.fail === 0, counts: Object.freeze(counts), rows: Object.freeze([...rows]) });
}

// ---------------------------------------------------------------- pure verdicts

/** package.json's engines: ">=20.11 <21 || >=22" (better-sqlite3 12 and the APIs used). */
export function nodeVersionRow(version: string): DoctorRow {
  const [maj = 0, min = 0] = version.replace(/^v/, '').split('.').map(Number);
  const ok = (maj === 20 && min >= 11) || maj >= 22;
  return ok
    ? row('node', '', 'pass', `Node ${version}`)
    : row(
        'node',
        '',
        'fail',
        `Node ${version}; FloorSense needs >= 20.11 (20.x) or >= 22`,
        'install the offline bundle (it carries its own Node) or a Node 20.11+ / 22+ from nodejs.org',
      );
}

/**
 * Keyframe interval against the sampling interval: keyframe-only decoding (the big decode saving)
 * is chosen when the camera's GOP fits the interval at which frames are sampled.
 */
export function gopVerdict(gopSec: number | undefined, sampleIntervalSec: number): { status: DoctorStatus; text: string; fix: string } {
  if (gopSec === undefined) {
    return {
      status: 'warn',
      text: 'keyframe interval unknown (fewer than 2 keyframes in the probe window)',
      fix: `set the camera's I-frame interval (GOP) to ${fmt(sampleIntervalSec)} s or less so keyframe-only decoding can be used`,
    };
  }
  if (gopSec <= sampleIntervalSec + 1e-3)
    return { status: 'pass', text: `keyframe every ${fmt(gopSec)} s (fits the ${fmt(sampleIntervalSec)} s sampling: keyframe-only decoding)`, fix: '' };
  return {
    status: 'warn',
    text: `keyframe every ${fmt(gopSec)} s, longer than the ${fmt(sampleIntervalSec)} s sampling interval: every frame must be decoded`,
    fix: `set the camera's I-frame interval (GOP) to ${fmt(sampleIntervalSec)} s (e.g. ${Math.max(1, Math.round(sampleIntervalSec * 25))} frames at 25 fps) to cut decode cost`,
  };
}

/**
 * Detail rows a camera writes per day at most, and so the disk the retention window needs. A
 * generous bound, not a measurement: positions at the sampling rate for 24 h with 10 people in
 * view, ~120 bytes a row with its indexes in SQLite.
 */
export const DETAIL_BYTES_PER_ROW = 120;
export const PEOPLE_IN_VIEW_BOUND = 10;

export function retentionNeedBytes(cameras: number, samplesPerSec: number, retentionDays: number): number {
  return Math.ceil(cameras * samplesPerSec * 86_400 * PEOPLE_IN_VIEW_BOUND * DETAIL_BYTES_PER_ROW * retentionDays);
}

export function diskRow(path: string, freeBytes: number, floorBytes: number, needBytes: number): DoctorRow {
  const detail = `${mib(freeBytes)} MiB free at ${path}; the agent keeps ${mib(floorBytes)} MiB free (storage.min_free_disk_mb) and its retention window needs up to ~${mib(needBytes)} MiB`;
  if (freeBytes < floorBytes)
    return row('disk', path, 'fail', detail, 'free disk space (the agent would purge detail early and keep warning), or lower storage.min_free_disk_mb');
  if (freeBytes < floorBytes + needBytes)
    return row(
      'disk',
      path,
      'warn',
      detail,
      'free disk space or lower storage.retention_days; the agent purges the oldest detail early when the floor is reached',
    );
  return row('disk', path, 'pass', detail);
}

/** Box clock against ClickHouse's now(): daily aggregates are keyed by local time. */
/** Unsent aggregates older than this are worth a technician's look (the shop may be offline for days). */
const OUTBOX_STALE_MS = 2 * 86_400_000;

/**
 * The outbox: quarantined rows (refused by the sync whitelist, never sent) warn, and so does a
 * backlog older than two days; the rows are kept either way.
 */
export function outboxRow(path: string, b: Backlog, nowMs: number): DoctorRow {
  if (b.quarantined > 0) {
    const first = b.quarantine
      .slice(0, 3)
      .map((q) => `#${q.seq} ${q.type}: ${q.reason}`)
      .join('; ');
    return row(
      'outbox',
      path,
      'warn',
      `${b.quarantined} aggregate row(s) quarantined, never sent: ${first}`,
      'a recompute of their day replaces them (a late receipt or the nightly roll-up); `floorsense sync --status` lists them; if they stay, send that list with the agent version to support',
    );
  }
  if (b.unsent > 0 && b.oldestUnsentMs !== null && nowMs - b.oldestUnsentMs > OUTBOX_STALE_MS) {
    const days = Math.floor((nowMs - b.oldestUnsentMs) / 86_400_000);
    return row(
      'outbox',
      path,
      'warn',
      `${b.unsent} aggregate row(s) waiting to be sent, the oldest for ${days} days`,
      'see the clickhouse rows: the agent keeps them and sends them when ClickHouse is reachable',
    );
  }
  return row(
    'outbox',
    path,
    'pass',
    b.unsent > 0 ? `${b.unsent} aggregate row(s) waiting to be sent, none quarantined` : `nothing waiting (${b.sent} row(s) sent), none quarantined`,
  );
}

export function clockRow(url: string, skewMs: number): DoctorRow {
  const s = Math.abs(skewMs) / 1000;
  const detail = `box clock is ${fmt(s)} s ${skewMs >= 0 ? 'ahead of' : 'behind'} ClickHouse at ${url}`;
  if (s > 60) return row('clock', 'ntp', 'fail', detail, 'enable NTP on the box (timedatectl set-ntp true) and check its time zone');
  if (s > 5) return row('clock', 'ntp', 'warn', detail, 'enable NTP on the box (timedatectl set-ntp true)');
  return row('clock', 'ntp', 'pass', detail);
}

// ---------------------------------------------------------------- probes

export async function runDoctor(cfg: Readonly<Config>, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const tools = opts.tools ?? DEFAULT_TOOLS;
  const rows: DoctorRow[] = [nodeVersionRow(process.versions.node)];
  rows.push(...(await checkTools(tools)));
  const models = await checkModels(cfg);
  rows.push(...models.rows);
  const detector = models.detectorPath !== undefined ? await checkDetector(cfg) : undefined;
  if (detector) rows.push(...detector.rows);
  const cams = cfg.cameras.filter((c) => c.enabled);
  if (cams.length === 0)
    rows.push(row('camera', '-', 'warn', 'no enabled camera in the config', "add the store's cameras under cameras: (rtsp:// URL or an archive folder)"));
  const probes = await Promise.all(cams.map(async (c) => ({ id: c.id, probe: await probeCamera(cfg, c, tools, opts.gopWindowSec ?? 6) })));
  rows.push(...probes.map((p) => p.probe.row));
  if (detector?.input)
    rows.push(
      ...inputFitRows(
        detector.input,
        probes.flatMap((p) => (p.probe.picture ? [{ id: p.id, picture: p.probe.picture }] : [])),
      ),
    );
  rows.push(checkDisk(cfg));
  rows.push(...(await checkClickHouse(cfg, opts.now ?? Date.now)));
  rows.push(await checkSchedule(cfg));
  rows.push(await checkApiPort(cfg));
  rows.push(checkWritable('storage', dirname(cfg.storage.path), 'the SQLite database folder (storage.path)'));
  rows.push(checkOutbox(cfg.storage.path, (opts.now ?? Date.now)()));
  if (opts.logDir !== undefined) rows.push(checkWritable('logs', opts.logDir, 'the log folder'));
  return summarize(rows);
}

export function checkOutbox(path: string, nowMs: number): DoctorRow {
  if (!existsSync(path)) return row('outbox', path, 'pass', 'no database yet: the agent creates it at its first start');
  let db: Database.Database | undefined;
  try {
    // Read-only, beside a running agent (WAL): doctor never changes the store.
    db = new Database(path, { readonly: true, fileMustExist: true });
    return outboxRow(path, outboxBacklog(db), nowMs);
  } catch (e) {
    return row(
      'outbox',
      path,
      'warn',
      `cannot read the outbox: ${errorText(e)}`,
      'start the agent once (it upgrades the database to this release), then run doctor again',
    );
  } finally {
    db?.close();
  }
}

async function checkTools(tools: ToolPaths): Promise<DoctorRow[]> {
  const out: DoctorRow[] = [];
  for (const [name, bin] of [
    ['ffmpeg', tools.ffmpeg],
    ['ffprobe', tools.ffprobe],
  ] as const) {
    try {
      const r = await runTool(bin, ['-hide_banner', '-version'], { timeoutMs: 10_000 });
      const first = r.stdout.toString('utf8').split('\n')[0] ?? '';
      out.push(
        r.code === 0
          ? row(name, '', 'pass', first.trim())
          : row(name, bin, 'fail', `${bin} -version exited ${r.code}: ${r.stderr.trim().slice(0, 200)}`, 'apt-get install ffmpeg'),
      );
    } catch (e) {
      out.push(row(name, bin, 'fail', errorText(e), 'apt-get install ffmpeg (installer/system-packages.txt)'));
    }
  }
  return out;
}

async function checkModels(cfg: Readonly<Config>): Promise<{ rows: DoctorRow[]; detectorPath: string | undefined }> {
  const dir = cfg.detector.models_dir ?? defaultModelsDir();
  const wanted: Array<[string, string]> = [['detector', cfg.detector.model]];
  // The ReID row says what runs: its precision and crop (the detector's are on the input row).
  if (cfg.tracker.appearance) wanted.push([`reid (${cfg.tracker.reid_precision}, crop ${cfg.tracker.reid_input})`, cfg.tracker.reid_model]);
  const rows: DoctorRow[] = [];
  let detectorPath: string | undefined;
  for (const [role, name] of wanted) {
    const warnings: string[] = [];
    try {
      const m = await resolveModel(name, dir, { warn: (w) => warnings.push(w) });
      if (role === 'detector') detectorPath = m.path;
      rows.push(
        m.verified
          ? row('model', name, 'pass', `${role} ${m.path}: sha256 matches the manifest`)
          : row(
              'model',
              name,
              'warn',
              `${role} ${m.path}: not in the manifest, loaded without a checksum${warnings.length ? ` (${warnings.join('; ')})` : ''}`,
              'use a model named in models/manifest.json',
            ),
      );
    } catch (e) {
      rows.push(
        row(
          'model',
          name,
          'fail',
          `${role}: ${errorText(e)}`,
          `reinstall the bundle (it carries the models), or set detector.models_dir / FLOORSENSE_MODELS to the folder holding them (now ${dir})`,
        ),
      );
    }
  }
  return { rows, detectorPath };
}

/**
 * Open the detector as the agent will (detectorOptionsFrom: provider fallback, detector.input and
 * its derivation): the provider that came up and the input it runs are what the agent gets.
 */
async function checkDetector(cfg: Readonly<Config>): Promise<{ rows: DoctorRow[]; input?: DetectorInput }> {
  const wanted = cfg.detector.providers;
  const warnings: string[] = [];
  let d: Detector;
  try {
    d = await Detector.create({ ...detectorOptionsFrom(cfg), threads: 1, warn: (w) => warnings.push(w) });
  } catch (e) {
    return { rows: [row('provider', wanted.join(','), 'fail', errorText(e), 'reinstall the bundle (onnxruntime-node) and check the model file')] };
  }
  const rows: DoctorRow[] = [];
  try {
    const providerWarnings = warnings.filter((w) => !w.startsWith('detector.input'));
    if (d.provider === wanted[0]) rows.push(row('provider', d.provider, 'pass', `detector runs on ${d.provider}`));
    else
      rows.push(
        row(
          'provider',
          d.provider,
          'warn',
          `detector.providers asks for ${wanted.join(', ')}; got ${d.provider}: ${providerWarnings.join('; ')}`,
          wanted[0] === 'webgpu'
            ? 'install the GPU driver with Vulkan (nvidia-driver, libvulkan1) and add the floorsense user to the video and render groups'
            : `remove ${wanted[0]} from detector.providers or install its runtime`,
        ),
      );
    const text = `detector ${d.model.name} input ${describeDetectorInput(d.input)}`;
    rows.push(
      d.input.fallback
        ? row('input', cfg.detector.input, 'warn', text, 'the model cannot be derived for another input: it runs at its native size (slower on 16:9 cameras)')
        : row('input', cfg.detector.input, 'pass', text),
    );
    return { rows, input: d.input };
  } finally {
    await d.close();
  }
}

/** People scaled less than this share of their native-input scale count as shrunk (doctor warns, setup fits the input). */
export const INPUT_FIT_TOLERANCE = 0.97;

/** Whether a picture letterboxed into `input` comes out smaller than into the model's native input. */
export function shrinks(input: InputSize, native: InputSize, picture: InputSize): boolean {
  const at = Math.min(input.width / picture.width, input.height / picture.height);
  const nat = Math.min(native.width / picture.width, native.height / picture.height);
  return at < nat * INPUT_FIT_TOLERANCE;
}

/**
 * A picture taller than the detector input's shape is letterboxed into it at a smaller scale than
 * into the native input: people come out smaller than the model's recall was measured at.
 */
export function inputFitRows(input: DetectorInput, cameras: ReadonlyArray<{ id: string; picture: { width: number; height: number } }>): DoctorRow[] {
  const native = input.native;
  if (!native || input.mode === 'native') return [];
  return cameras.flatMap(({ id, picture }) => {
    const at = Math.min(input.width / picture.width, input.height / picture.height);
    const nat = Math.min(native.width / picture.width, native.height / picture.height);
    if (!shrinks(input, native, picture)) return [];
    const fitted = fittedInput(native, picture);
    return [
      row(
        'input',
        id,
        'warn',
        `camera ${id} is ${picture.width}x${picture.height}: in the ${input.width}x${input.height} detector input people are scaled ${at.toFixed(2)}, against ${nat.toFixed(2)} at the native ${native.width}x${native.height}`,
        `set detector.input: ${fitted.width}x${fitted.height} (fitted to this camera) or native`,
      ),
    ];
  });
}

function sampleIntervalSec(cfg: Readonly<Config>, cam: CameraConfig, fps: number): number {
  const s = cam.sampling ?? cfg.sampling;
  if (s.fps !== undefined) return 1 / s.fps;
  return (s.stride ?? 25) / (fps > 0 ? fps : 25);
}

/** A camera's doctor row and, when its source answered, the picture size (source pixels) it decodes to. */
export interface CameraProbe {
  readonly row: DoctorRow;
  readonly picture?: { readonly width: number; readonly height: number };
  /** What ffprobe saw (the newest file of an archive folder), with the GOP when it was measured. */
  readonly info?: SourceInfo;
  /** Where the decoded frame was saved as JPEG (`snapshotPath` given and a frame decoded). */
  readonly snapshot?: string;
}

export interface CameraProbeOptions {
  /** Save the one decoded frame there as a JPEG at source resolution (`floorsense setup`). */
  readonly snapshotPath?: string;
}

/**
 * The one camera probe (doctor and `config check --live`): an RTSP URL is probed, its GOP
 * measured over `gopWindowSec` (0 skips it) and one frame decoded; an archive folder's newest file
 * likewise.
 */
export async function probeCamera(
  cfg: Readonly<Config>,
  cam: CameraConfig,
  tools: ToolPaths = DEFAULT_TOOLS,
  gopWindowSec = 6,
  opts: CameraProbeOptions = {},
): Promise<CameraProbe> {
  const subject = cam.id;
  if (!isLiveUrl(cam.url)) return checkArchiveFolder(cfg, cam, tools, opts);
  try {
    const probeOpts = { tools, socketTimeoutSec: cam.rtsp_timeout_s, gopWindowSec };
    const { info, src } = await probeStreamInfo(cam.url, probeOpts);
    const picture = { width: info.width, height: info.height };
    const decoded = await decodeOneFrame(cam.url, cam.rtsp_timeout_s, tools, opts.snapshotPath);
    const base = `${info.codec} ${info.width}x${info.height} @ ${fmt(info.fps)} fps`;
    if (!decoded.ok)
      return {
        row: row('camera', subject, 'fail', `${base}; no frame decoded: ${decoded.why}`, "check the stream's codec (H.264/H.265) in the camera's web page"),
        picture,
        info,
      };
    const shot = opts.snapshotPath !== undefined ? { snapshot: opts.snapshotPath } : {};
    if (!(gopWindowSec > 0)) return { row: row('camera', subject, 'pass', `${base}; a frame decoded`), picture, info, ...shot };
    const gop = await probeGop(src, probeOpts);
    const g = gopVerdict(gop, sampleIntervalSec(cfg, cam, info.fps));
    return {
      row: row('camera', subject, g.status, `${base}; ${g.text}; a frame decoded`, g.fix),
      picture,
      info: gop !== undefined ? { ...info, gopSec: gop } : info,
      ...shot,
    };
  } catch (e) {
    return {
      row: row(
        'camera',
        subject,
        'fail',
        errorText(e),
        'check the camera has power and network, the URL, user and password (open it in VLC from this box), and that RTSP is enabled',
      ),
    };
  }
}

async function checkArchiveFolder(cfg: Readonly<Config>, cam: CameraConfig, tools: ToolPaths, opts: CameraProbeOptions): Promise<CameraProbe> {
  const dir = cam.url;
  let files: string[];
  try {
    if (!statSync(dir).isDirectory())
      return {
        row: row(
          'camera',
          cam.id,
          'fail',
          `${dir} is a file; the agent takes an RTSP URL or a folder of exports`,
          'point cameras[].url at the folder the NVR exports into',
        ),
      };
    const exts = cfg.agent.archive_extensions.map((e) => e.toLowerCase());
    files = readdirSync(dir)
      .filter((f) => exts.includes(extname(f).toLowerCase()))
      .sort();
  } catch (e) {
    return {
      row: row(
        'camera',
        cam.id,
        'fail',
        `archive folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? errorText(e)}`,
        'create the folder or fix cameras[].url; it must be readable by the floorsense user',
      ),
    };
  }
  if (files.length === 0)
    return {
      row: row(
        'camera',
        cam.id,
        'warn',
        `archive folder ${dir}: no ${cfg.agent.archive_extensions.join('/')} files yet`,
        'export footage from the NVR into this folder',
      ),
    };
  const newest = join(dir, files[files.length - 1]!);
  try {
    const { info } = await probeStreamInfo(newest, { tools, gopWindowSec: 0 });
    const picture = { width: info.width, height: info.height };
    const decoded = await decodeOneFrame(newest, 10, tools, opts.snapshotPath);
    const base = `archive folder, ${files.length} file(s); newest ${files[files.length - 1]}: ${info.codec} ${info.width}x${info.height} @ ${fmt(info.fps)} fps`;
    return {
      row: decoded.ok
        ? row('camera', cam.id, 'pass', `${base}; a frame decoded`)
        : row('camera', cam.id, 'fail', `${base}; no frame decoded: ${decoded.why}`, 're-export the file from the NVR'),
      picture,
      info,
      ...(decoded.ok && opts.snapshotPath !== undefined ? { snapshot: opts.snapshotPath } : {}),
    };
  } catch (e) {
    return { row: row('camera', cam.id, 'fail', errorText(e), 're-export the file from the NVR (MP4, H.264/H.265)') };
  }
}

/** Decode one frame; with `jpegPath`, that frame is written there (source resolution) instead of discarded. */
function decodeOneFrame(url: string, timeoutSec: number, tools: ToolPaths, jpegPath?: string): Promise<{ ok: boolean; why: string }> {
  return grabStill(url, timeoutSec, tools, jpegPath === undefined ? { kind: 'discard' } : { kind: 'file', path: jpegPath });
}

/** The nearest folder that exists at or above `p` (the database folder may not exist yet). */
function existingAncestor(p: string): string {
  let d = p;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

function checkDisk(cfg: Readonly<Config>): DoctorRow {
  const at = existingAncestor(dirname(cfg.storage.path));
  const cams = cfg.cameras.filter((c) => c.enabled);
  // Samples per second per camera, assuming 25 fps when the config gives a stride.
  const sps = cams.length === 0 ? 0 : Math.max(...cams.map((c) => 1 / sampleIntervalSec(cfg, c, 25)));
  try {
    const st = statfsSync(at);
    return diskRow(at, st.bavail * st.bsize, cfg.storage.min_free_disk_mb * 1024 * 1024, retentionNeedBytes(cams.length, sps, cfg.storage.retention_days));
  } catch (e) {
    return row('disk', at, 'fail', errorText(e), 'check the disk holding storage.path is mounted');
  }
}

export async function checkClickHouse(cfg: Readonly<Config>, now: () => number): Promise<DoctorRow[]> {
  if (!cfg.sync.url) return [row('clickhouse', '-', 'pass', 'sync off (sync.url not set): aggregates wait in the local outbox')];
  const t = transportFor(cfg.sync);
  const out: DoctorRow[] = [];
  try {
    const before = now();
    const [r] = await t.queryRows('SELECT version() AS v, toUnixTimestamp(now()) AS t');
    const after = now();
    out.push(row('clickhouse', t.url, 'pass', `ClickHouse ${String(r?.v)} at ${t.url}: reached and authenticated as ${cfg.sync.username}`));
    // now() has whole seconds: compare with the middle of the request, accept the rounding.
    const serverMs = Number(r?.t) * 1000 + 500;
    out.push(clockRow(t.url, (before + after) / 2 - serverMs));
    const have = new Set((await t.queryRows(`SELECT name FROM system.tables WHERE database = '${cfg.sync.database}'`)).map((x) => String(x.name)));
    const missing = RECORD_TYPES.map((rt) => tableName(cfg.sync.database, rt)).filter((n) => !have.has(n.split('.').pop()!));
    out.push(
      missing.length === 0
        ? row('clickhouse schema', cfg.sync.database, 'pass', `database ${cfg.sync.database} has the ${RECORD_TYPES.length} aggregate tables`)
        : row(
            'clickhouse schema',
            cfg.sync.database,
            'fail',
            `missing in ${cfg.sync.database}: ${missing.join(', ')}`,
            'create them once: floorsense sync --init (as a ClickHouse user allowed to CREATE)',
          ),
    );
  } catch (e) {
    const msg = errorText(e);
    const auth = /authentication|password|unknown user|\b(516|192)\b|REQUIRED_PASSWORD/i.test(msg);
    out.push(
      row(
        'clickhouse',
        t.url,
        'fail',
        msg,
        auth
          ? "check sync.username and sync.password with the chain's ClickHouse admin"
          : 'check sync.url and that this box can reach it (firewall, VPN); the agent keeps aggregates until it can',
      ),
    );
  } finally {
    await t.close();
  }
  return out;
}

export async function checkSchedule(cfg: Readonly<Config>): Promise<DoctorRow> {
  const src = cfg.sales.schedule.source;
  if (src === undefined)
    return row(
      'schedule',
      '-',
      'warn',
      'no shift schedule (sales.schedule.source unset): sellers cannot be told from customers by shift',
      'set sales.schedule.source to the schedule CSV or its published Google Sheets CSV URL',
    );
  try {
    const text = await readScheduleSource({ source: src, timeoutMs: cfg.sales.schedule.timeout_s * 1000 });
    const parsed = parseScheduleCsv(text, src, cfg.store.timezone);
    // A wrong header means the agent ignores the whole file: no schedule at all, as if unreachable.
    const whole = parsed.problems.find((p) => p.scope === 'file');
    if (parsed.rows.length === 0 && whole !== undefined)
      return row(
        'schedule',
        src,
        'fail',
        `${src}: not a schedule CSV, the whole file is ignored (line ${whole.line}: ${whole.message})`,
        'columns are date,seller_id,name,start,end (store time); a Google Sheet must be "published to the web" as CSV',
      );
    if (parsed.rows.length === 0)
      return row(
        'schedule',
        src,
        'warn',
        `${src}: read, but no valid shift rows${parsed.problems.length ? ` (${parsed.problems.length} bad: ${parsed.problems[0]!.message})` : ''}`,
        'columns are date,seller_id,name,start,end (store time)',
      );
    return row(
      'schedule',
      src,
      parsed.problems.length ? 'warn' : 'pass',
      `${src}: ${parsed.rows.length} shift(s)${parsed.problems.length ? `, ${parsed.problems.length} bad row(s), first at line ${parsed.problems[0]!.line}: ${parsed.problems[0]!.message}` : ''}`,
      'fix the bad rows in the schedule',
    );
  } catch (e) {
    return row(
      'schedule',
      src,
      'fail',
      errorText(e),
      'check the path or URL (a Google Sheet must be "published to the web" as CSV); the agent falls back to its cached copy',
    );
  }
}

export async function checkApiPort(cfg: Readonly<Config>): Promise<DoctorRow> {
  const { host, port, enabled } = cfg.api;
  const where = `${host}:${port}`;
  if (!enabled) return row('api', where, 'pass', 'local API disabled (api.enabled: false)');
  if (port === 0) return row('api', where, 'pass', 'api.port 0: any free port');
  const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(null)));
  });
  if (err === null) return row('api', where, 'pass', `${where} is free`);
  if (err.code === 'EADDRINUSE') {
    // The agent itself (the service) holds its port: that is the healthy case.
    try {
      const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/status`, { signal: AbortSignal.timeout(3000) });
      const body: unknown = await res.json();
      if (body !== null && typeof body === 'object' && ('cameras' in body || 'store' in body || res.status === 401))
        return row('api', where, 'pass', `${where} is served by a running FloorSense agent`);
    } catch {
      // Not a FloorSense answer: something else holds the port.
    }
    return row('api', where, 'fail', `${where} is in use by another program`, `find it with \`ss -ltnp 'sport = :${port}'\`, or set api.port to a free port`);
  }
  return row(
    'api',
    where,
    'fail',
    `cannot listen on ${where}: ${err.code ?? err.message}`,
    'set api.host to an address of this box (127.0.0.1 for the tray only)',
  );
}

/**
 * The agent creates and writes files here; try exactly that, as the user running doctor. Run as
 * root (sudo floorsense doctor), root can write anywhere: then the folder's owner and mode are
 * also checked for the service user, whom the service runs as (a warning: a config used only from
 * the command line does not need it).
 */
function checkWritable(check: string, dir: string, what: string): DoctorRow {
  const who = safeUser();
  const svc = process.getuid?.() === 0 ? serviceUser() : undefined;
  try {
    const exists = existsSync(dir);
    const at = exists ? dir : existingAncestor(dir);
    if (exists) {
      const probe = join(dir, `.doctor-${process.pid}`);
      writeFileSync(probe, 'x');
      rmSync(probe);
    } else {
      accessSync(at, constants.W_OK);
    }
    const seen = exists ? `${what} ${dir} is writable by ${who}` : `${what} ${dir} does not exist yet; ${who} can create it under ${at}`;
    if (svc !== undefined && !modeAllowsWrite(statSync(at), svc)) {
      return row(
        check,
        dir,
        'warn',
        `${seen}, but the service user ${SERVICE_USER} (uid ${svc.uid}) cannot write ${at}`,
        `chown -R ${SERVICE_USER}:${SERVICE_USER} ${exists ? dir : `${dir} (create it first)`} if floorsense.service uses this config`,
      );
    }
    return row(check, dir, 'pass', svc !== undefined ? `${seen}, and by the service user ${SERVICE_USER}` : seen);
  } catch (e) {
    return row(
      check,
      dir,
      'fail',
      `${what} ${dir} is not writable by ${who}: ${(e as NodeJS.ErrnoException).code ?? errorText(e)}`,
      `chown -R ${SERVICE_USER}:${SERVICE_USER} ${dir} (the service runs as ${SERVICE_USER}), or run doctor as that user: sudo -u ${SERVICE_USER} floorsense doctor`,
    );
  }
}

/** The user floorsense.service runs as (installer/systemd/floorsense.service, User=). */
export const SERVICE_USER = 'floorsense';

/** uid and gid of the service user from /etc/passwd; undefined when it does not exist. */
function serviceUser(passwd = '/etc/passwd'): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync(passwd, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${SERVICE_USER}:`));
    const f = line?.split(':');
    return f && f.length > 3 ? { uid: Number(f[2]), gid: Number(f[3]) } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a folder's owner, group and mode let `user` create files in it (write and search bits). */
export function modeAllowsWrite(st: { uid: number; gid: number; mode: number }, user: { uid: number; gid: number }): boolean {
  if (st.uid === user.uid) return (st.mode & 0o300) === 0o300;
  if (st.gid === user.gid) return (st.mode & 0o030) === 0o030;
  return (st.mode & 0o003) === 0o003;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
}

function mib(b: number): number {
  return Math.round(b / 1024 / 1024);
}
