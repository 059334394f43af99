/**
 * The pilot's audit: how far a store's own manager agrees with the agent, on clips of that store.
 *
 * `prepare` takes a clip the store exported from its NVR (a camera of the store config) and makes an
 * audit folder: the clip analysed at 2 fps for the correction tool (`floorsense label`, which the
 * manager uses to mark roles and every consultation and checkout they see, starting from the
 * tracker's boxes but from NO events, so their count is their own), and beside it, in `agent/`, the
 * clip analysed as the agent runs (the config's sampling, detector, tracker and zones). `score`
 * compares, for every folder the manager has saved, their labels with the agent's output
 * (eval events: intervals matched by overlap, identities by box IoU) and sums them over the store:
 * the agent's count against the manager's, precision and recall of consultations and checkouts,
 * how often the matched ones name the same seller, and the staff/customer confusion. The pilot's
 * target is the count within 10 % of the manual one.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Config } from '../config/schema.js';
import { MisuseError } from '../core/errors.js';
import { evaluateEvents, isLabelledFolder, readLabelledFolder, readPrediction, type EventsEvaluation } from '../eval/events/index.js';
import type { EventKind } from '../eval/events/format.js';

/** The agent's analysis of an audit clip, beside the manager's labels. */
export const AGENT_DIR = 'agent';
export const AGREEMENT_FILE = 'agreement.json';
/** The correction tool's frame rate (floorsense label steps through 2 frames a second). */
export const LABEL_FPS = 2;
/** The pilot's acceptance: the agent's count of a key event within this share of the manual count. */
export const PILOT_COUNT_TOLERANCE = 0.1;

/** The camera of `config` an audit clip is from: the named one, or the config's only camera. */
export function auditCamera(config: Readonly<Config>, id: string | undefined): string {
  if (id !== undefined) {
    if (!config.cameras.some((c) => c.id === id))
      throw new MisuseError('FS_CONFIG_INVALID', `--camera ${id}: no such camera in the config (${config.cameras.map((c) => c.id).join(', ') || 'none'})`, {
        camera: id,
      });
    return id;
  }
  if (config.cameras.length !== 1)
    throw new MisuseError('FS_BAD_ARGUMENT', `the config has ${config.cameras.length} cameras (${config.cameras.map((c) => c.id).join(', ')}): give --camera`);
  return config.cameras[0]!.id;
}

/** `<dir>/<camera>-<clip name>`: one folder per exported clip. */
export function auditFolder(dir: string, camera: string, video: string): string {
  const clip = basename(video, extname(video)).replace(/[^A-Za-z0-9._-]+/g, '_');
  return join(dir, `${camera}-${clip}`);
}

export interface AuditCount {
  /** Marked by the manager / found by the agent / paired by overlap. */
  readonly manual: number;
  readonly agent: number;
  readonly matched: number;
  /** Of the matched, those naming the same seller and customer. */
  readonly samePeople: number;
}

export interface AuditClip {
  readonly folder: string;
  readonly camera: string;
  readonly consultation: AuditCount;
  readonly checkout: AuditCount;
  /** Labelled identities whose role the agent got right, of all labelled identities. */
  readonly roles: { readonly right: number; readonly identities: number };
}

export interface AuditTotal extends AuditCount {
  /** matched / agent (null when the agent found none). */
  readonly precision: number | null;
  /** matched / manual (null when the manager marked none). */
  readonly recall: number | null;
  /** (agent - manual) / manual: the pilot's figure (null when the manager marked none). */
  readonly countError: number | null;
}

export interface AuditReport {
  readonly store: string;
  readonly clips: readonly AuditClip[];
  /** Audit folders the manager has not saved labels in yet. */
  readonly pending: readonly string[];
  readonly total: {
    readonly consultation: AuditTotal;
    readonly checkout: AuditTotal;
    readonly roles: { readonly right: number; readonly identities: number; readonly accuracy: number | null };
    /** Whether every key count with a manual figure is within PILOT_COUNT_TOLERANCE of it. */
    readonly withinPilotTarget: boolean | null;
  };
}

/** Every audit folder under `dir` (those with the agent's analysis), labelled or not, sorted. */
export function auditFolders(dir: string): string[] {
  if (!existsSync(dir))
    throw new MisuseError('FS_BAD_ARGUMENT', `${dir}: no such folder (floorsense audit prepare <clip> writes audit folders there)`, { dir });
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, AGENT_DIR)))
    .map((e) => join(dir, e.name))
    .sort();
}

function countOf(e: EventsEvaluation, kind: EventKind): AuditCount {
  const s = e.interactions[kind];
  return { manual: s.gt, agent: s.pred, matched: s.matched, samePeople: s.matchedSamePeople };
}

function totalOf(clips: readonly AuditClip[], kind: EventKind): AuditTotal {
  const sum = (k: keyof AuditCount) => clips.reduce((n, c) => n + c[kind][k], 0);
  const manual = sum('manual');
  const agent = sum('agent');
  const matched = sum('matched');
  return {
    manual,
    agent,
    matched,
    samePeople: sum('samePeople'),
    precision: agent > 0 ? matched / agent : null,
    recall: manual > 0 ? matched / manual : null,
    countError: manual > 0 ? (agent - manual) / manual : null,
  };
}

/** Score every labelled audit folder under `dir` against the agent's analysis beside it. */
export function scoreAudit(dir: string, config: Readonly<Config>): AuditReport {
  const folders = auditFolders(dir);
  const clips: AuditClip[] = [];
  const pending: string[] = [];
  for (const folder of folders) {
    if (!isLabelledFolder(folder)) {
      pending.push(folder);
      continue;
    }
    const gt = readLabelledFolder(folder);
    const e = evaluateEvents(gt, readPrediction(join(folder, AGENT_DIR), gt, config), { iouThreshold: 0.5, minOverlap: 0 });
    const ids = e.roles.identities;
    clips.push({
      folder,
      camera: gt.events.camera,
      consultation: countOf(e, 'consultation'),
      checkout: countOf(e, 'checkout'),
      roles: { right: ids.filter((i) => i.predRole === i.role).length, identities: ids.length },
    });
  }
  const consultation = totalOf(clips, 'consultation');
  const checkout = totalOf(clips, 'checkout');
  const right = clips.reduce((n, c) => n + c.roles.right, 0);
  const identities = clips.reduce((n, c) => n + c.roles.identities, 0);
  const errors = [consultation.countError, checkout.countError].filter((v): v is number => v !== null);
  return {
    store: config.store.id,
    clips,
    pending,
    total: {
      consultation,
      checkout,
      roles: { right, identities, accuracy: identities > 0 ? right / identities : null },
      withinPilotTarget: errors.length > 0 ? errors.every((v) => Math.abs(v) <= PILOT_COUNT_TOLERANCE + 1e-12) : null,
    },
  };
}

export function writeAgreement(dir: string, report: AuditReport): string {
  const path = join(dir, AGREEMENT_FILE);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const signed = (v: number | null): string => (v === null ? 'n/a' : `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);

/** The report as a store's technician or manager reads it. */
export function formatAudit(r: AuditReport): string {
  const out = [`audit of store ${r.store}: ${r.clips.length} labelled clip${r.clips.length === 1 ? '' : 's'}`];
  for (const c of r.clips) {
    const k = (n: AuditCount) => `${n.manual} marked, ${n.agent} found, ${n.matched} agree`;
    out.push(
      `  ${basename(c.folder)} (camera ${c.camera}): consultations ${k(c.consultation)}; checkouts ${k(c.checkout)}; roles ${c.roles.right} of ${c.roles.identities} right`,
    );
  }
  for (const [name, t] of [
    ['consultations', r.total.consultation],
    ['checkouts', r.total.checkout],
  ] as const) {
    out.push(
      `${name}: the manager marked ${t.manual}, the agent found ${t.agent} (${signed(t.countError)}), ${t.matched} agree (precision ${pct(t.precision)}, recall ${pct(t.recall)}); the same seller and customer in ${t.samePeople} of ${t.matched}`,
    );
  }
  out.push(`roles: ${r.total.roles.right} of ${r.total.roles.identities} people right (${pct(r.total.roles.accuracy)})`);
  const target = r.total.withinPilotTarget;
  out.push(
    target === null
      ? 'pilot target (counts within 10% of the manual count): nothing marked yet'
      : `pilot target (counts within 10% of the manual count): ${target ? 'met' : 'NOT met'}`,
  );
  for (const p of r.pending) out.push(`not labelled yet: ${p} (floorsense label ${p})`);
  return `${out.join('\n')}\n`;
}
