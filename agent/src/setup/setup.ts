/**
 * `floorsense setup`: the store config a technician would otherwise write by hand, tested as it is
 * written. Store id, time zone, locale and currency; each camera probed with doctor's camera probe
 * (codec, size, fps, keyframe interval, a frame decoded and saved as a snapshot beside the config),
 * a substream proposed for detection when the main stream is 1080p or more; the ClickHouse sync
 * and the schedule source tested with doctor's checks. One flow for both front ends (io.ts): at a
 * terminal a bad answer is explained and asked again, from an answers file it ends the run naming
 * the answer key. An existing config is the default of every question, keeps its zones and every
 * section setup does not ask about, and is kept as .bak; the new file is validated by the config
 * loader itself before it replaces the old one.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Document, isMap, parseDocument, type YAMLMap, YAMLSeq } from 'yaml';
import type { z } from 'zod';
import { replaceConfigFile } from '../config/replace-file.js';
import { loadConfigFile, resolveConfigPaths, validateConfig } from '../config/load.js';
import type { CameraConfig } from '../config/schema.js';
import { cameraSection } from '../config/sections/cameras.js';
import { storeSection } from '../config/sections/store.js';
import { syncSection } from '../config/sections/sync.js';
import { MisuseError } from '../core/errors.js';
import { AUTO_INPUT_ASPECT } from '../detect/defaults.js';
import { checkClickHouse, checkSchedule, probeCamera, shrinks, type DoctorStatus } from '../health/doctor.js';
import { fittedInput, type InputSize } from '../models/derive.js';
import { findEntry, loadManifest } from '../models/manifest.js';
import { probeStreamInfo } from '../ingest/probe.js';
import type { SourceInfo } from '../ingest/source-info.js';
import { displayName, isLiveUrl, localPath } from '../ingest/source-url.js';
import { checkSubstreamAspect, substreamCandidates, wantsSubstream } from '../ingest/substream.js';
import { DEFAULT_TOOLS, type ToolPaths } from '../ingest/tools.js';
import type { Answers } from './answers.js';
import type { AnswerMap, SetupIO } from './io.js';
import type { Messages } from './messages.js';

export interface SetupOptions {
  readonly configPath: string;
  readonly io: SetupIO;
  readonly msg: Messages;
  /** Default dashboard locale of a new config (the setup language). */
  readonly lang: 'ru' | 'en';
  /** Relative local paths typed or given are taken against this (the answers file's folder, else cwd). */
  readonly baseDir: string;
  /** Scripted run: the answers (cameras come from here, not from questions). */
  readonly answers?: Answers;
  /** Scripted: write a camera that does not answer, with a warning, instead of failing. */
  readonly allowUnreachable: boolean;
  readonly tools?: ToolPaths;
  /** Seconds of a live stream read to measure its keyframe interval. Default 6 (as doctor). */
  readonly gopWindowSec?: number;
  /** Socket timeout when trying substream URLs, seconds. Default 5. */
  readonly substreamTimeoutSec?: number;
  readonly now?: () => number;
}

export interface SetupCamera {
  readonly id: string;
  readonly status: DoctorStatus;
  readonly detail: string;
  readonly detectUrl?: string;
  readonly snapshot?: string;
}

export interface SetupResult {
  readonly configPath: string;
  readonly backupPath?: string;
  readonly cameras: readonly SetupCamera[];
  readonly warnings: readonly string[];
}

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The first zod message for a value, or undefined when it is valid. */
function invalid(schema: z.ZodType, v: unknown): string | undefined {
  const r = schema.safeParse(v);
  return r.success ? undefined : (r.error.issues[0]?.message ?? 'invalid');
}

/** A local path typed relative to where the technician stands becomes absolute; URLs stay. */
function absolutize(v: string, base: string): string {
  return localPath(v, base) ?? v;
}

/** Answers by key path, the way SetupIO.value asks for them (password_file already read). */
export function answerMap(a: Answers, baseDir: string): AnswerMap {
  const m = new Map<string, string | boolean>();
  const put = (k: string, v: string | boolean | undefined): void => {
    if (v !== undefined) m.set(k, v);
  };
  put('store.id', a.store.id);
  put('store.timezone', a.store.timezone);
  put('store.locale', a.store.locale);
  put('store.currency', a.store.currency);
  a.cameras.forEach((c, i) => {
    put(`cameras[${i}].id`, c.id);
    put(`cameras[${i}].url`, c.url);
    put(`cameras[${i}].detect_url`, c.detect_url);
    put(`cameras[${i}].username`, c.username);
    put(`cameras[${i}].password`, c.password);
  });
  if (a.sync) {
    put('sync.url', a.sync.url);
    put('sync.username', a.sync.username);
    put('sync.database', a.sync.database);
    put('sync.password', a.sync.password);
    if (a.sync.password_file !== undefined) {
      const file = resolve(baseDir, a.sync.password_file);
      try {
        put('sync.password', readFileSync(file, 'utf8').replace(/\r?\n$/, ''));
      } catch (e) {
        throw new MisuseError('FS_CONFIG_INVALID', `sync.password_file: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    }
  }
  put('schedule.source', a.schedule?.source);
  return m;
}

interface Existing {
  readonly doc: Document;
  readonly js: Raw;
}

function readExisting(path: string): Existing | undefined {
  if (!existsSync(path)) return undefined;
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length > 0) {
    throw new MisuseError(
      'FS_CONFIG_INVALID',
      `${path} (the existing config) is not valid YAML: ${doc.errors[0]!.message}; fix or move it, then run setup again`,
    );
  }
  return { doc, js: obj(doc.toJS()) };
}

/**
 * Where a new config keeps its database: an installed layout (`<prefix>/etc/floorsense`) has its
 * state folder at `<prefix>/var/lib/floorsense` (the unit's StateDirectory, writable under
 * ProtectSystem=strict); elsewhere the schema's default beside the config.
 */
export function defaultStoragePath(configDir: string): string | undefined {
  const d = resolve(configDir);
  if (basename(d) === 'floorsense' && basename(dirname(d)) === 'etc') return join(dirname(dirname(d)), 'var', 'lib', 'floorsense', 'floorsense.db');
  return undefined;
}

interface CameraPlan {
  readonly index: number;
  readonly id?: string;
  readonly url?: string;
  /** From the previous config: its timeout, for the probe. */
  readonly old?: Raw;
}

interface CameraDone {
  readonly id: string;
  readonly url: string;
  readonly detectUrl?: string;
  readonly result: SetupCamera;
  readonly index: number;
  /** The camera's id in the previous config, when it was kept (and maybe renamed): its node is reused. */
  readonly fromId?: string;
  /** Its picture (source pixels), when it answered; a substream has the same shape (checkSubstreamAspect). */
  readonly picture?: InputSize;
}

/**
 * The detector input a store's cameras need when the default `auto` (fitted to 16:9) would shrink
 * the people of one of them (a 4:3 or square camera letterboxed into 640x384): the model's native
 * width and the height the tallest such picture needs (fittedInput), or undefined when auto serves
 * every picture at the native scale. One detector session serves every camera, so the input is the
 * store's; the same rule as doctor's warning (shrinks).
 */
export function inputForPictures(native: InputSize, pictures: readonly InputSize[]): InputSize | undefined {
  let need: InputSize | undefined;
  for (const p of pictures) {
    if (!shrunkByAuto(native, p)) continue;
    const f = fittedInput(native, p);
    if (!need || f.height > need.height) need = f;
  }
  return need;
}

/** Whether the default `auto` input (fitted to 16:9) would make this picture's people smaller than the native input does. */
function shrunkByAuto(native: InputSize, picture: InputSize): boolean {
  return shrinks(fittedInput(native, AUTO_INPUT_ASPECT), native, picture);
}

/** The native input of the configured detector model, from the manifest; undefined for a model file it does not list. */
function nativeInput(model: string): InputSize | undefined {
  try {
    const e = findEntry(loadManifest(), model);
    return e ? { width: e.input.width, height: e.input.height } : undefined;
  } catch {
    return undefined; // no manifest beside this install: doctor names that; setup writes no input
  }
}

export async function runSetup(o: SetupOptions): Promise<SetupResult> {
  const { io, msg } = o;
  const tools = o.tools ?? DEFAULT_TOOLS;
  const configPath = resolve(o.configPath);
  const configDir = dirname(configPath);
  const warnings: string[] = [];
  const warn = (text: string): void => {
    warnings.push(text);
    io.say(msg.warn(text));
  };
  const old = readExisting(configPath);
  io.say(msg.intro(configPath));
  if (old) io.say(msg.existing(configPath));

  // ---- store
  const oldStore = obj(old?.js.store);
  const ask = async (key: string, prompt: string, def: string | undefined, check: (v: string) => string | undefined): Promise<string> => {
    for (;;) {
      const v = await io.value(key, prompt, def);
      const bad = check(v);
      if (bad === undefined) return v;
      io.rejected(key, 'FS_CONFIG_INVALID', `${JSON.stringify(v)}: ${bad}`);
    }
  };
  const storeId = await ask('store.id', msg.storeId, str(oldStore.id), (v) => invalid(storeSection.shape.id, v));
  const boxZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timezone = await ask('store.timezone', msg.timezone, str(oldStore.timezone) ?? boxZone, (v) => invalid(storeSection.shape.timezone, v));
  const locale = await ask('store.locale', msg.locale, str(oldStore.locale) ?? o.lang, (v) => invalid(storeSection.shape.locale, v));
  const currencyText = await ask('store.currency', msg.currency, str(oldStore.currency) ?? (old ? undefined : locale === 'ru' ? 'RUB' : undefined), (v) =>
    v === '' ? undefined : invalid(storeSection.shape.currency, v),
  );
  const currency = currencyText === '' ? undefined : currencyText.toUpperCase();

  // The config the probes judge against: the existing sections (sampling, archive extensions...)
  // without the parts this run replaces, so a stale camera or sync cannot fail them.
  const baseRaw: Raw = { ...structuredClone(old?.js ?? {}), store: { id: storeId, timezone } };
  delete baseRaw.cameras;
  delete baseRaw.sync;
  const baseSales = obj(baseRaw.sales);
  if (baseSales.schedule !== undefined) baseRaw.sales = { ...baseSales, schedule: { ...obj(baseSales.schedule), source: undefined } };
  const base = validateConfig(resolveConfigPaths(baseRaw, configDir), `${configPath} (existing sections)`);

  // ---- cameras
  const oldCams = (Array.isArray(old?.js.cameras) ? (old.js.cameras as unknown[]) : []).map(obj);
  const plans: CameraPlan[] = [];
  const done: CameraDone[] = [];
  const taken = new Set<string>();
  const doCamera = async (p: CameraPlan): Promise<void> => {
    const key = `cameras[${p.index}]`;
    const id = await ask(`${key}.id`, msg.cameraId(p.index + 1), p.id ?? `cam${p.index + 1}`, (v) =>
      taken.has(v) ? `duplicate camera id (another camera of this setup is "${v}")` : invalid(cameraSection.shape.id, v),
    );
    taken.add(id);
    const oldId = str(p.old?.id);
    const from = oldId !== undefined ? { fromId: oldId } : {};
    let def = p.url;
    for (;;) {
      const typed = await io.value(`${key}.url`, msg.cameraUrl(id), def);
      if (typed === '') {
        io.rejected(`${key}.url`, 'FS_CONFIG_INVALID', `camera "${id}": an rtsp:// URL or an archive folder is needed`);
        continue;
      }
      let url = absolutize(typed, o.baseDir);
      // Credentials asked apart, the password with echo off: typed into the URL they would show.
      if (isLiveUrl(url) && userinfoOf(url) === undefined) {
        const prev = def !== undefined ? userinfoOf(def) : undefined;
        const user = await io.value(`${key}.username`, msg.cameraUser(id), prev?.user ?? '');
        if (user !== '') {
          const password = await io.value(`${key}.password`, msg.cameraPassword(id), prev?.password, { secret: true, keepLabel: msg.syncPasswordKeep });
          url = withUserinfo(url, user, password);
        }
      }
      def = url;
      io.say(msg.probing(id));
      const cam: CameraConfig = cameraSection.parse({
        id,
        url,
        ...(typeof p.old?.rtsp_timeout_s === 'number' ? { rtsp_timeout_s: p.old.rtsp_timeout_s } : {}),
      });
      const snapDir = join(configDir, 'snapshots');
      mkdirSync(snapDir, { recursive: true });
      const probe = await probeCamera(base, cam, tools, o.gopWindowSec ?? 6, { snapshotPath: join(snapDir, `${id}.jpg`) });
      const r = probe.row;
      if (r.status !== 'warn') io.say(msg.probed(id, r.detail));
      if (r.status === 'fail') {
        const why = `camera "${id}": ${r.detail}`;
        if (!io.interactive && o.allowUnreachable) {
          warn(msg.unreachableWritten(id));
          done.push({ id, url, index: p.index, ...from, result: { id, status: 'fail', detail: r.detail } });
          return;
        }
        if (io.interactive) {
          io.say(msg.failed(`camera "${id}"`, r.detail));
          if (r.fix) io.say(msg.fix(r.fix));
          if (await io.yesNo(`${key}.keep`, msg.writeAnyway, false)) {
            warnings.push(why);
            done.push({ id, url, index: p.index, ...from, result: { id, status: 'fail', detail: r.detail } });
            return;
          }
          io.say(msg.reenter);
          continue;
        }
        io.rejected(`${key}.url`, 'FS_SOURCE_UNREACHABLE', why, `${r.fix}; or pass --allow-unreachable to write it anyway`);
        continue;
      }
      if (r.status === 'warn') warn(`camera "${id}": ${r.detail}${r.fix ? ` (fix: ${r.fix})` : ''}`);
      if (probe.snapshot) io.say(msg.snapshot(probe.snapshot));
      const detectUrl = probe.info && isLiveUrl(url) ? await chooseDetectUrl(o, key, id, url, probe.info, cam.rtsp_timeout_s) : undefined;
      done.push({
        id,
        url,
        index: p.index,
        ...from,
        ...(probe.picture ? { picture: probe.picture } : {}),
        ...(detectUrl !== undefined ? { detectUrl } : {}),
        result: {
          id,
          status: r.status,
          detail: r.detail,
          ...(detectUrl !== undefined ? { detectUrl } : {}),
          ...(probe.snapshot ? { snapshot: probe.snapshot } : {}),
        },
      });
      return;
    }
  };
  if (o.answers) {
    for (const [i, c] of o.answers.cameras.entries()) plans.push({ index: i, id: c.id, url: c.url, ...oldFor(oldCams, c.id) });
    for (const p of plans) await doCamera(p);
  } else {
    let n = 0;
    for (const oc of oldCams) {
      const oid = str(oc.id);
      if (oid === undefined || !(await io.yesNo(`cameras.keep.${oid}`, msg.keepOldCamera(oid), true))) continue;
      await doCamera({ index: n++, id: oid, ...(str(oc.url) ? { url: str(oc.url)! } : {}), old: oc });
    }
    while (n === 0 || (await io.yesNo('cameras.add', msg.addCamera, false))) await doCamera({ index: n++ });
  }
  const kept = new Set(done.map((d) => d.fromId ?? d.id));
  for (const oc of oldCams) if (str(oc.id) && !kept.has(str(oc.id)!)) io.say(msg.dropped(str(oc.id)!));

  // ---- sync
  const oldSync = obj(old?.js.sync);
  let sync: z.infer<typeof syncSection> | undefined;
  for (;;) {
    const url = await io.value('sync.url', msg.syncUrl, str(oldSync.url) ?? '');
    if (url === '') break;
    const username = await io.value('sync.username', msg.syncUser, str(oldSync.username) ?? 'default');
    const password = await io.value('sync.password', msg.syncPassword, typeof oldSync.password === 'string' ? oldSync.password : undefined, {
      secret: true,
      keepLabel: msg.syncPasswordKeep,
    });
    const database = await io.value('sync.database', msg.syncDb, str(oldSync.database) ?? 'floorsense');
    const parsed = syncSection.safeParse({ ...oldSync, url, username, password, database });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      io.rejected(`sync.${String(issue.path[0] ?? 'url')}`, 'FS_CONFIG_INVALID', issue.message);
      continue;
    }
    io.say(msg.syncTesting(url));
    const rows = await checkClickHouse({ ...base, sync: parsed.data }, o.now ?? Date.now);
    const reach = rows[0]!;
    if (reach.status === 'fail') {
      // doctor's fix names the credentials when the server refused them (auth), else the URL.
      const key = /sync\.password/.test(reach.fix) ? 'sync.password' : 'sync.url';
      io.rejected(key, 'FS_REMOTE', reach.detail, reach.fix);
      continue;
    }
    io.say(msg.ok(reach.detail));
    for (const r of rows.slice(1)) if (r.status !== 'pass') warn(`${r.check}: ${r.detail}${r.fix ? ` (fix: ${r.fix})` : ''}`);
    sync = parsed.data;
    break;
  }

  // ---- schedule
  const oldSource = str(obj(obj(old?.js.sales).schedule).source);
  let scheduleSource: string | undefined;
  for (;;) {
    const typed = await io.value('schedule.source', msg.scheduleSource, oldSource ?? '');
    if (typed === '') break;
    const src = absolutize(typed, o.baseDir);
    io.say(msg.scheduleTesting(displayName(src)));
    const r = await checkSchedule({ ...base, sales: { ...base.sales, schedule: { ...base.sales.schedule, source: src } } });
    if (r.status === 'fail') {
      io.rejected('schedule.source', 'FS_REMOTE', r.detail, r.fix);
      continue;
    }
    if (r.status === 'warn') warn(`schedule: ${r.detail}${r.fix ? ` (fix: ${r.fix})` : ''}`);
    else io.say(msg.ok(r.detail));
    scheduleSource = src;
    break;
  }

  // ---- write
  const doc = old?.doc ?? new Document({});
  doc.setIn(['store', 'id'], storeId);
  doc.setIn(['store', 'timezone'], timezone);
  doc.setIn(['store', 'locale'], locale);
  if (currency !== undefined) doc.setIn(['store', 'currency'], currency);
  else if (doc.hasIn(['store', 'currency'])) doc.deleteIn(['store', 'currency']);
  doc.setIn(['cameras'], camerasNode(doc, done, o.answers));
  if (sync) {
    doc.setIn(['sync', 'url'], sync.url);
    doc.setIn(['sync', 'username'], sync.username);
    doc.setIn(['sync', 'password'], sync.password);
    doc.setIn(['sync', 'database'], sync.database);
  } else if (doc.hasIn(['sync', 'url'])) doc.deleteIn(['sync', 'url']);
  if (scheduleSource !== undefined) doc.setIn(['sales', 'schedule', 'source'], scheduleSource);
  else if (doc.hasIn(['sales', 'schedule', 'source'])) doc.deleteIn(['sales', 'schedule', 'source']);
  const storagePath = o.answers?.storage?.path ?? (old ? undefined : defaultStoragePath(configDir));
  if (storagePath !== undefined) doc.setIn(['storage', 'path'], absolutize(storagePath, o.baseDir));
  if (o.answers?.api?.port !== undefined) doc.setIn(['api', 'port'], o.answers.api.port);
  // detector.input: left to the config when it says one, else fitted when a camera is taller than 16:9.
  const native = obj(old?.js.detector).input === undefined ? nativeInput(base.detector.model) : undefined;
  const taller = native ? done.filter((d) => d.picture && shrunkByAuto(native, d.picture)) : [];
  const fit = native
    ? inputForPictures(
        native,
        taller.map((d) => d.picture!),
      )
    : undefined;
  if (fit) {
    const size = `${fit.width}x${fit.height}`;
    const why = taller.map((d) => `${d.id} ${d.picture!.width}x${d.picture!.height}`).join(', ');
    doc.setIn(['detector', 'input'], size);
    const node = doc.getIn(['detector'], true);
    if (isMap(node)) node.commentBefore = ` Written by floorsense setup: ${why} is taller than 16:9, which the default input (auto) would shrink.`;
    io.say(msg.detectorInput(size, why));
  }
  const backupPath = writeConfig(configPath, doc.toString({ lineWidth: 0 }), old !== undefined);
  if (backupPath) io.say(msg.backup(backupPath));
  io.say(msg.written(configPath));
  io.say(msg.next(configPath));
  return { configPath, ...(backupPath ? { backupPath } : {}), cameras: done.map((d) => d.result), warnings };
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/i;

/** user and password of scheme://user:password@host/..., decoded; undefined without credentials. */
export function userinfoOf(url: string): { user: string; password: string } | undefined {
  const m = USERINFO.exec(url);
  if (!m) return undefined;
  const info = m[2]!;
  const colon = info.indexOf(':');
  const dec = (t: string): string => {
    try {
      return decodeURIComponent(t);
    } catch {
      return t;
    }
  };
  return colon < 0 ? { user: dec(info), password: '' } : { user: dec(info.slice(0, colon)), password: dec(info.slice(colon + 1)) };
}

/** The URL with these credentials (percent-encoded, so @ : / in a password survive). */
export function withUserinfo(url: string, user: string, password: string): string {
  const bare = url.replace(USERINFO, '$1');
  const m = /^([a-z][a-z0-9+.-]*:\/\/)/i.exec(bare);
  if (!m) return url;
  const info = `${encodeURIComponent(user)}${password !== '' ? `:${encodeURIComponent(password)}` : ''}@`;
  return `${m[1]}${info}${bare.slice(m[1]!.length)}`;
}

function oldFor(oldCams: readonly Raw[], id: string): { old?: Raw } {
  const oc = oldCams.find((c) => c.id === id);
  return oc ? { old: oc } : {};
}

/**
 * The cameras list: a camera id of the previous config keeps its node (zones, floor, sampling,
 * comments) with url and detect_url replaced; zones given in the answers replace its zones.
 */
function camerasNode(doc: Document, done: readonly CameraDone[], answers: Answers | undefined): YAMLSeq {
  const prev = doc.getIn(['cameras']);
  const prevItems = prev instanceof YAMLSeq ? prev.items : [];
  const seq = new YAMLSeq();
  for (const d of done) {
    const found = prevItems.find((n): n is YAMLMap => isMap(n) && n.get('id') === (d.fromId ?? d.id));
    const node = found ?? (doc.createNode({ id: d.id }) as YAMLMap);
    node.set('id', d.id);
    node.set('url', d.url);
    if (d.detectUrl !== undefined) node.set('detect_url', d.detectUrl);
    else node.delete('detect_url');
    const a = answers?.cameras[d.index];
    if (a?.enabled !== undefined) node.set('enabled', a.enabled);
    if (a?.zones !== undefined) {
      // One zone a line, as people write them: - {name: till, kind: till, polygon: [[x, y], ...]}.
      const zones = doc.createNode(a.zones) as YAMLSeq;
      for (const z of zones.items) if (isMap(z)) z.flow = true;
      node.set('zones', zones);
    }
    seq.items.push(node);
  }
  return seq;
}

/**
 * Validate the new text with the config loader itself (a temporary file in the same folder, so
 * relative paths mean the same), then keep the old file as .bak and move the new one in. The
 * file may hold the ClickHouse password: not world-readable; an existing file keeps its owner and
 * mode, a new one run as root goes to group floorsense (the service user reads it).
 */
function writeConfig(path: string, text: string, hadOld: boolean): string | undefined {
  mkdirSync(dirname(path), { recursive: true });
  const gid = hadOld ? undefined : groupId('floorsense');
  return replaceConfigFile(path, text, { validate: (tmp) => void loadConfigFile(tmp), ...(gid !== undefined ? { newFileGid: gid } : {}) });
}

function groupId(name: string): number | undefined {
  try {
    const line = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    const gid = line?.split(':')[2];
    return gid !== undefined ? Number(gid) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * detect_url: "none" keeps detection on the main stream; a URL given is probed and must have the
 * main stream's shape; "auto" (the default) tries the usual substream URLs of the camera's brand
 * when the main stream is 1080p or more and proposes the first that answers smaller and of the
 * same shape (the agent refuses an anamorphic one).
 */
async function chooseDetectUrl(o: SetupOptions, key: string, id: string, url: string, main: SourceInfo, timeoutSec: number): Promise<string | undefined> {
  const { io, msg } = o;
  const tools = o.tools ?? DEFAULT_TOOLS;
  const mainSize = `${main.width}x${main.height}`;
  const tryUrl = async (cand: string, socketTimeoutSec: number): Promise<{ info?: SourceInfo; why?: string }> => {
    try {
      const { info } = await probeStreamInfo(cand, { tools, socketTimeoutSec, gopWindowSec: 0 });
      checkSubstreamAspect(id, info, main);
      return { info };
    } catch (e) {
      return { why: e instanceof Error ? e.message : String(e) };
    }
  };
  const given = io.interactive ? 'auto' : await io.value(`${key}.detect_url`, '', 'auto');
  if (given === 'none') return undefined;
  if (given !== 'auto') {
    const r = await tryUrl(given, timeoutSec);
    if (r.info) {
      io.say(msg.ok(`${id}: detect_url ${displayName(given)} is ${r.info.width}x${r.info.height}`));
      return given;
    }
    io.rejected(`${key}.detect_url`, 'FS_SOURCE_UNREACHABLE', `camera "${id}": ${r.why}`, 'give the substream URL of this camera, "auto" or "none"');
    return undefined;
  }
  if (!wantsSubstream(main)) return undefined;
  for (const cand of substreamCandidates(url)) {
    const r = await tryUrl(cand, o.substreamTimeoutSec ?? 5);
    if (!r.info) {
      if (r.why !== undefined && /aspect/.test(r.why)) io.say(msg.substreamRefused(displayName(cand), r.why));
      continue;
    }
    if (r.info.width >= main.width) continue;
    io.say(msg.substreamFound(id, mainSize, displayName(cand), `${r.info.width}x${r.info.height}`));
    if (await io.yesNo(`${key}.use_substream`, msg.useSubstream, true)) return cand;
    return undefined;
  }
  io.say(msg.substreamNone(id, mainSize));
  if (!io.interactive) return undefined;
  for (;;) {
    const typed = await io.value(`${key}.detect_url`, msg.detectUrlByHand, '');
    if (typed === '') return undefined;
    const r = await tryUrl(typed, timeoutSec);
    if (r.info) return typed;
    io.rejected(`${key}.detect_url`, 'FS_SOURCE_UNREACHABLE', `camera "${id}": ${r.why}`);
  }
}
