/**
 * Everything the Electron tray shell (tray-ui/main.js) decides, as plain functions so it is tested
 * here without Electron (no Electron binary runs on the build machines): which agent to ask and
 * how (options, URLs, the bearer token), what a GET /status answer means for the store manager
 * (ok / warn / down, a tooltip, an icon colour), the menu, and the icon itself as a PNG drawn with
 * render/ (no binary files in the repository). The shell only wires these to Tray, Menu and
 * BrowserWindow.
 */
import { z } from 'zod';
import { MisuseError } from '../core/errors.js';
import { createCanvas, drawText, encodePng, fillRect, type Rgb } from '../render/index.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH } from '../render/font.js';

export type TrayLevel = 'ok' | 'warn' | 'down';

/** Green, amber, red: readable on light and dark task bars. */
export const TRAY_COLORS: Readonly<Record<TrayLevel, Rgb>> = Object.freeze({ ok: [34, 153, 84], warn: [230, 145, 0], down: [204, 32, 40] });

/** Windows cuts tray tooltips at 127 characters; longer ones are shortened here, visibly. */
export const TOOLTIP_MAX = 127;

export interface TrayState {
  readonly level: TrayLevel;
  readonly tooltip: string;
  readonly color: Rgb;
  /** First line of the menu: what the icon means, in words. */
  readonly summary: string;
  /** The agent's warnings, one line each, for the menu. */
  readonly warnings: readonly string[];
}

/** The outcome of one GET /status: an HTTP answer (any status) or a failure to get one. */
export type StatusFetch = { readonly ok: true; readonly httpStatus: number; readonly body: unknown } | { readonly ok: false; readonly error: string };

/** The slice of /status the tray reads (api/provider.ts AgentStatus); extra fields are ignored. */
const statusSlice = z.object({
  store_id: z.string(),
  cameras: z.array(z.object({ id: z.string(), state: z.string() })),
  warnings: z.array(z.object({ source: z.string(), subject: z.string(), message: z.string() })),
});

export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function state(level: TrayLevel, summary: string, warnings: readonly string[] = []): TrayState {
  const tooltip = shorten(warnings.length > 0 ? `${summary} · ${warnings[0]}` : summary, TOOLTIP_MAX);
  return { level, tooltip, color: TRAY_COLORS[level], summary, warnings };
}

/**
 * What the icon says. down: no answer, a refused or broken answer, or every camera down; warn: any
 * warning or any camera not up; ok otherwise (an agent with no cameras yet and no warnings is ok).
 */
export function trayStateFrom(r: StatusFetch): TrayState {
  if (!r.ok) return state('down', `FloorSense agent not reachable: ${shorten(r.error, 80)}`);
  if (r.httpStatus === 401) return state('down', 'FloorSense agent refused the tray (401): set the api.token of the agent (--token or --config)');
  if (r.httpStatus !== 200) return state('down', `FloorSense agent answered HTTP ${r.httpStatus} to /status`);
  const parsed = statusSlice.safeParse(r.body);
  if (!parsed.success) return state('down', 'FloorSense agent sent an unexpected /status answer (is the port right?)');
  const s = parsed.data;
  const up = s.cameras.filter((c) => c.state === 'up').length;
  const n = s.cameras.length;
  const warnings = s.warnings.map((w) => shorten(w.message, 200));
  const head = `FloorSense ${s.store_id}: ${up}/${n} camera${n === 1 ? '' : 's'} up`;
  if (n > 0 && s.cameras.every((c) => c.state === 'down')) return state('down', `${head}, all down`, warnings);
  if (warnings.length > 0) return state('warn', `${head}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`, warnings);
  if (up < n) {
    const odd = s.cameras.filter((c) => c.state !== 'up').map((c) => `${c.id} ${c.state}`);
    return state('warn', `${head} (${odd.join(', ')})`);
  }
  return state('ok', `${head}, all well`);
}

// ---------------------------------------------------------------- where the agent is

export interface TrayTarget {
  /** e.g. http://127.0.0.1:8787 (no trailing slash) */
  readonly baseUrl: string;
  readonly token: string | null;
}

/** The agent's api section (config/sections/api.ts) as the tray on the same box reaches it. */
export function targetFromApi(api: { readonly host: string; readonly port: number; readonly token?: string | undefined }): TrayTarget {
  if (!Number.isInteger(api.port) || api.port < 1 || api.port > 65_535) {
    throw new MisuseError('FS_BAD_ARGUMENT', `api.port ${api.port}: the tray needs the agent's fixed port (1-65535), not 0`, { key: 'api.port' });
  }
  // A wildcard bind is reached on loopback; a named address as it is.
  const host =
    api.host === '0.0.0.0' || api.host === ''
      ? '127.0.0.1'
      : api.host === '::'
        ? '[::1]'
        : api.host.includes(':') && !api.host.startsWith('[')
          ? `[${api.host}]`
          : api.host;
  return { baseUrl: `http://${host}:${api.port}`, token: api.token ?? null };
}

/** A --url given by hand: http(s) only, path and query dropped. */
export function targetFromUrl(url: string, token: string | null): TrayTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MisuseError('FS_BAD_ARGUMENT', `--url ${url}: not a URL (e.g. http://127.0.0.1:8787)`, { key: '--url' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new MisuseError('FS_BAD_ARGUMENT', `--url ${url}: expected http:// or https://`, { key: '--url' });
  return { baseUrl: `${u.protocol}//${u.host}`, token };
}

/** The status page for the window: the token rides in the query once, the agent turns it into a cookie. */
export function statusPageUrl(t: TrayTarget): string {
  return `${t.baseUrl}/${t.token ? `?token=${encodeURIComponent(t.token)}` : ''}`;
}

/** The tray's own poll: the token in a header, never in a URL that could be logged. */
export function statusRequest(t: TrayTarget): { readonly url: string; readonly headers: Readonly<Record<string, string>> } {
  return { url: `${t.baseUrl}/status`, headers: t.token ? { authorization: `Bearer ${t.token}`, accept: 'application/json' } : { accept: 'application/json' } };
}

// ---------------------------------------------------------------- options

export interface TrayOptions {
  /** The agent's store.yaml: api host, port and token come from it. */
  readonly configPath: string | null;
  readonly url: string | null;
  readonly token: string | null;
  readonly logsDir: string;
  readonly pollMs: number;
}

/** Where the logs folder is when none is given (the installer sends the agent's log lines there). */
export function defaultLogsDir(platform: string, env: Readonly<Record<string, string | undefined>>): string {
  if (platform === 'win32') return `${env.PROGRAMDATA ?? 'C:\\ProgramData'}\\FloorSense\\logs`;
  if (platform === 'darwin') return `${env.HOME ?? ''}/Library/Logs/FloorSense`;
  return '/var/log/floorsense';
}

const FLAGS = ['--config', '--url', '--token', '--logs', '--poll-s'] as const;
type Flag = (typeof FLAGS)[number];
const isFlag = (s: string): s is Flag => (FLAGS as readonly string[]).includes(s);

/**
 * Options from the command line (after Electron's own arguments) and the environment
 * (FLOORSENSE_CONFIG, FLOORSENSE_API_URL, FLOORSENSE_TOKEN, FLOORSENSE_LOG_DIR); flags win.
 * Without either a config or a URL the tray asks http://127.0.0.1:8787, the agent's default.
 */
export function trayOptionsFrom(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, platform: string): TrayOptions {
  const got = new Map<Flag, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (!isFlag(name)) throw new MisuseError('FS_BAD_ARGUMENT', `unknown argument "${a}": the tray takes ${FLAGS.join(', ')}`, { argument: a });
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new MisuseError('FS_BAD_ARGUMENT', `${name} needs a value`, { argument: name });
    got.set(name, value);
  }
  const pick = (flag: Flag, envKey: string): string | null => got.get(flag) ?? (env[envKey] || null);
  const pollRaw = got.get('--poll-s') ?? '5';
  const pollS = Number(pollRaw);
  if (!Number.isFinite(pollS) || pollS < 1 || pollS > 3600)
    throw new MisuseError('FS_BAD_ARGUMENT', `--poll-s ${pollRaw}: expected seconds between 1 and 3600`, { argument: '--poll-s' });
  return {
    configPath: pick('--config', 'FLOORSENSE_CONFIG'),
    url: pick('--url', 'FLOORSENSE_API_URL'),
    token: pick('--token', 'FLOORSENSE_TOKEN'),
    logsDir: pick('--logs', 'FLOORSENSE_LOG_DIR') ?? defaultLogsDir(platform, env),
    pollMs: Math.round(pollS * 1000),
  };
}

// ---------------------------------------------------------------- menu

export type TrayAction = 'open-status' | 'open-logs' | 'quit';

export type TrayMenuItem =
  | { readonly kind: 'label'; readonly label: string }
  | { readonly kind: 'action'; readonly action: TrayAction; readonly label: string }
  | { readonly kind: 'separator' };

/** Menu shown on the icon: what is wrong (up to `maxWarnings` lines), then the three actions. */
export function trayMenu(s: TrayState, logsDir: string, maxWarnings = 3): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ kind: 'label', label: shorten(s.summary, 100) }];
  for (const w of s.warnings.slice(0, maxWarnings)) items.push({ kind: 'label', label: `⚠ ${shorten(w, 100)}` });
  if (s.warnings.length > maxWarnings) items.push({ kind: 'label', label: `… and ${s.warnings.length - maxWarnings} more in the status window` });
  items.push(
    { kind: 'separator' },
    { kind: 'action', action: 'open-status', label: 'Open status window' },
    { kind: 'action', action: 'open-logs', label: `Open logs folder (${shorten(logsDir, 60)})` },
    { kind: 'separator' },
    // Quitting the tray is not stopping the agent: that one is a service.
    { kind: 'action', action: 'quit', label: 'Quit tray (the agent keeps running)' },
  );
  return items;
}

// ---------------------------------------------------------------- icon

const GLYPH: Readonly<Record<TrayLevel, string>> = { ok: '', warn: '!', down: 'X' };

/**
 * The tray icon: a square in the level's colour with a dark edge and a white mark (none, "!" or
 * "X") so the state does not rest on colour alone. PNG bytes; `size` 16 for 1x, 32 for 2x screens.
 */
export function trayIconPng(level: TrayLevel, size = 16): Buffer {
  if (!Number.isInteger(size) || size < 8 || size > 256)
    throw new MisuseError('FS_BAD_ARGUMENT', `tray icon size ${size}: expected an integer 8-256`, { size });
  const color = TRAY_COLORS[level];
  const edge: Rgb = [Math.round(color[0] * 0.55), Math.round(color[1] * 0.55), Math.round(color[2] * 0.55)];
  const c = createCanvas(size, size, edge);
  const border = Math.max(1, Math.round(size / 16));
  fillRect(c, border, border, size - 2 * border, size - 2 * border, color);
  const mark = GLYPH[level];
  if (mark) {
    const scale = Math.max(1, Math.floor((size - 4 * border) / 10));
    drawText(c, Math.floor((size - GLYPH_WIDTH * scale) / 2), Math.floor((size - GLYPH_HEIGHT * scale) / 2), mark, [255, 255, 255], { scale });
  }
  return encodePng(c);
}
