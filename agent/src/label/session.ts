/**
 * One labelling session over an `analyze` output folder: what the page starts from and what a
 * save writes. It starts from the folder's own labels when they are there (gt.txt + events.json:
 * resuming), otherwise from the tracker's boxes with no roles or events. A save validates the whole
 * state first (boxes on sampled frames only, one box per identity and frame, events naming labelled
 * identities), then writes gt.txt and events.json through temporary files, so a refused or failed
 * save leaves the previous files as they were.
 */
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { FailureError, MisuseError } from '../core/errors.js';
import { formatMot, readMotFile, type MotRow } from '../io/mot.js';
import { EVENTS_FILE, GT_FILE, eventsFileSchema, formatEventsFile, isLabelledFolder, readEventsFile, type EventsFile } from '../eval/events/index.js';
import { readCameraTracks } from '../scene/interchange.js';
import { extractFrames, readSummary, sampledFrames } from './frames.js';

export interface LabelState {
  readonly camera: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frames: readonly number[];
  /** Boxes to show: MOT rows (frame, id, x, y, w, h). */
  readonly boxes: readonly { frame: number; id: number; x: number; y: number; w: number; h: number }[];
  readonly roles: EventsFile['roles'];
  readonly events: EventsFile['events'];
  /** Where the boxes came from: the saved labels or the tracker. */
  readonly from: 'labels' | 'tracker';
}

export interface LabelSessionOptions {
  readonly dir: string;
  /** Camera id (the `<camera>.txt` of the folder); default: the folder's only one. */
  readonly camera?: string;
  /** The clip the frames come from; default: summary.json's `source`. */
  readonly video?: string;
  readonly ffmpeg?: string;
}

export interface LabelSession {
  readonly dir: string;
  state(): LabelState;
  /** Validates and writes; returns the paths written. */
  save(body: unknown): { gt: string; events: string; boxes: number; identities: number };
}

function findCamera(dir: string): string {
  const names = readdirSync(dir).filter((f) => f.endsWith('.txt') && f !== GT_FILE && existsSync(join(dir, f.replace(/\.txt$/, '.json'))));
  if (names.length !== 1)
    throw new MisuseError(
      'FS_BAD_ARGUMENT',
      `${dir}: ${names.length === 0 ? 'no analyze output (<camera>.txt + <camera>.json)' : `several cameras (${names.join(', ')}): give --camera`}`,
      { dir },
    );
  return basename(names[0]!, '.txt');
}

const box = z.strictObject({
  frame: z.int().min(1),
  id: z.int().min(0).max(1_000_000_000),
  x: z.number().finite(),
  y: z.number().finite(),
  w: z.number().positive().finite(),
  h: z.number().positive().finite(),
});
const saveSchema = z.strictObject({ boxes: z.array(box).max(5_000_000), roles: eventsFileSchema.shape.roles, events: eventsFileSchema.shape.events });

export function openLabelSession(o: LabelSessionOptions): LabelSession {
  const dir = o.dir;
  if (!existsSync(dir))
    throw new FailureError('FS_FILE_NOT_FOUND', `${dir}: no such folder (run floorsense analyze <clip> --fps 2 --out ${dir} first)`, { dir });
  const camera = o.camera ?? findCamera(dir);
  const tracks = readCameraTracks(dir, camera);
  const tb = tracks.timebase;
  const summary = readSummary(dir);
  const frames = sampledFrames(tracks.rows, summary, tb.fps);
  const video = o.video ?? summary?.source;
  if (video === undefined) throw new MisuseError('FS_BAD_ARGUMENT', `${dir}: summary.json names no source clip: give --video`, { dir });
  extractFrames(video, dir, frames, o.ffmpeg);
  const gtPath = join(dir, GT_FILE);
  const evPath = join(dir, EVENTS_FILE);
  const toBox = (r: MotRow): LabelState['boxes'][number] => ({ frame: r.frame, id: r.id, x: r.x, y: r.y, w: r.w, h: r.h });
  const frameSet = new Set(frames);
  return {
    dir,
    state(): LabelState {
      if (isLabelledFolder(dir)) {
        const ev = readEventsFile(evPath);
        return {
          camera,
          width: tb.width,
          height: tb.height,
          fps: tb.fps,
          frames,
          boxes: readMotFile(gtPath).map(toBox),
          roles: ev.roles,
          events: ev.events,
          from: 'labels',
        };
      }
      return {
        camera,
        width: tb.width,
        height: tb.height,
        fps: tb.fps,
        frames,
        boxes: tracks.rows.filter((r) => r.id >= 0).map(toBox),
        roles: {},
        events: [],
        from: 'tracker',
      };
    },
    save(body: unknown) {
      const r = saveSchema.safeParse(body);
      if (!r.success)
        throw new MisuseError(
          'FS_HTTP_BAD_REQUEST',
          `labels not saved: ${r.error.issues
            .slice(0, 5)
            .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`)
            .join('; ')}`,
        );
      const { boxes, roles, events } = r.data;
      const seen = new Set<string>();
      for (const b of boxes) {
        if (!frameSet.has(b.frame))
          throw new MisuseError('FS_HTTP_BAD_REQUEST', `labels not saved: a box of identity ${b.id} is on frame ${b.frame}, which was not sampled`);
        const k = `${b.frame}:${b.id}`;
        if (seen.has(k))
          throw new MisuseError(
            'FS_HTTP_BAD_REQUEST',
            `labels not saved: identity ${b.id} has two boxes on frame ${b.frame} (merge only identities that never share a frame)`,
          );
        seen.add(k);
      }
      const ids = new Set(boxes.map((b) => b.id));
      for (const e of events)
        for (const who of [e.seller, e.customer]) {
          if (!ids.has(who))
            throw new MisuseError('FS_HTTP_BAD_REQUEST', `labels not saved: ${e.kind} at frames ${e.start}-${e.end} names identity ${who}, which has no box`);
        }
      const keptRoles = Object.fromEntries(Object.entries(roles).filter(([id]) => ids.has(Number(id))));
      const file: EventsFile = {
        version: 1,
        camera,
        ...(video ? { source: basename(video) } : {}),
        fps: tb.fps,
        sampled_frames: frames,
        roles: keptRoles,
        events,
      };
      const rows: MotRow[] = [...boxes].sort((a, b) => a.frame - b.frame || a.id - b.id).map((b) => ({ ...b, conf: 1 }));
      // Both written to temporaries first: a failure on the second leaves neither half-replaced.
      writeFileSync(`${gtPath}.tmp`, formatMot(rows));
      writeFileSync(`${evPath}.tmp`, formatEventsFile(file));
      renameSync(`${gtPath}.tmp`, gtPath);
      renameSync(`${evPath}.tmp`, evPath);
      return { gt: gtPath, events: evPath, boxes: rows.length, identities: ids.size };
    },
  };
}
