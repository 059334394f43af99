// @ts-check
// FloorSense tray shell (Electron main process, ESM). Deliberately thin: every decision (options,
// URLs, what a /status answer means, menu items, icon pixels) lives in the agent's pure module
// agent/src/ui/tray-state.ts, compiled to ../dist/ui/tray-state.js and unit-tested there, because
// no Electron binary runs on the build machines. This file only wires it to Tray, Menu,
// BrowserWindow and shell. See README.md for installing and running it.
import { app, BrowserWindow, dialog, Menu, nativeImage, shell, Tray } from 'electron';

const POLL_TIMEOUT_MS = 3000;

/** The compiled pure modules; a clear message when the agent was not built (`npm run build` at the root). */
async function loadAgentModules() {
  try {
    const tray = await import('../dist/ui/tray-state.js');
    const config = await import('../dist/config/load.js');
    return { tray, config };
  } catch (e) {
    throw new Error(
      `cannot load the agent's compiled modules from ../dist (run \`npm ci\` or \`npm run build\` in the FloorSense folder first): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Which agent to ask: a hand-given URL, else the api section of the agent's config, else its default port. */
function targetOf(opts, tray, config) {
  if (opts.url) return tray.targetFromUrl(opts.url, opts.token);
  if (opts.configPath) {
    const api = config.loadConfigFile(opts.configPath).api;
    const t = tray.targetFromApi(api);
    return opts.token ? { ...t, token: opts.token } : t;
  }
  return tray.targetFromApi({ host: '127.0.0.1', port: 8787, token: opts.token ?? undefined });
}

/** One GET /status as the pure module's StatusFetch: an answer of any status, or why there was none. */
async function fetchStatus(tray, target) {
  const req = tray.statusRequest(target);
  try {
    const res = await fetch(req.url, { headers: req.headers, signal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
    const text = await res.text();
    let body = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: trayStateFrom reports an unexpected answer
    }
    return { ok: true, httpStatus: res.status, body };
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return { ok: false, error: `${e instanceof Error ? e.message : String(e)}${cause}` };
  }
}

async function main() {
  const { tray, config } = await loadAgentModules();
  const opts = tray.trayOptionsFrom(process.argv.slice(app.isPackaged ? 1 : 2), process.env, process.platform);
  const target = targetOf(opts, tray, config);

  const icons = new Map();
  const iconFor = (level) => {
    if (!icons.has(level)) {
      const img = nativeImage.createFromBuffer(tray.trayIconPng(level, 16), { scaleFactor: 1 });
      img.addRepresentation({ scaleFactor: 2, buffer: tray.trayIconPng(level, 32) });
      icons.set(level, img);
    }
    return icons.get(level);
  };

  /** @type {import('electron').BrowserWindow | null} */
  let statusWindow = null;
  const openStatus = () => {
    if (statusWindow && !statusWindow.isDestroyed()) {
      statusWindow.show();
      statusWindow.focus();
      return;
    }
    const pageUrl = tray.statusPageUrl(target);
    const origin = new URL(pageUrl).origin;
    statusWindow = new BrowserWindow({
      width: 1100,
      height: 800,
      title: 'FloorSense',
      autoHideMenuBar: true,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    // The window shows the agent's page and nothing else: links elsewhere open in the browser.
    statusWindow.webContents.setWindowOpenHandler(({ url }) => {
      if (/^https?:/i.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    statusWindow.webContents.on('will-navigate', (event, url) => {
      if (new URL(url).origin !== origin) event.preventDefault();
    });
    statusWindow.on('closed', () => (statusWindow = null));
    void statusWindow.loadURL(pageUrl);
  };

  const openLogs = async () => {
    const err = await shell.openPath(opts.logsDir);
    if (err)
      dialog.showErrorBox('FloorSense', `Cannot open the logs folder ${opts.logsDir}: ${err}\n(Start the tray with --logs <folder> to use another one.)`);
  };

  const actions = { 'open-status': openStatus, 'open-logs': () => void openLogs(), quit: () => app.quit() };
  const menuOf = (state) =>
    Menu.buildFromTemplate(
      tray
        .trayMenu(state, opts.logsDir)
        .map((item) =>
          item.kind === 'separator'
            ? { type: 'separator' }
            : item.kind === 'label'
              ? { label: item.label, enabled: false }
              : { label: item.label, click: actions[item.action] },
        ),
    );

  const first = tray.trayStateFrom({ ok: false, error: 'asking the agent…' });
  const icon = new Tray(iconFor(first.level));
  icon.setToolTip(first.tooltip);
  icon.setContextMenu(menuOf(first));
  icon.on('click', openStatus);
  // Starting the tray again (a second shortcut click) shows the window of the one running.
  app.on('second-instance', openStatus);

  let polling = false;
  const poll = async () => {
    if (polling) return; // a slow agent must not pile up requests
    polling = true;
    try {
      const state = tray.trayStateFrom(await fetchStatus(tray, target));
      icon.setImage(iconFor(state.level));
      icon.setToolTip(state.tooltip);
      // Linux trays only pick up a changed menu when it is set again.
      icon.setContextMenu(menuOf(state));
    } finally {
      polling = false;
    }
  };
  await poll();
  const timer = setInterval(() => void poll(), opts.pollMs);
  app.on('before-quit', () => clearInterval(timer));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A tray app lives on without windows: closing the status window must not quit it.
  app.on('window-all-closed', () => {});
  app
    .whenReady()
    .then(main)
    .catch((e) => {
      dialog.showErrorBox('FloorSense tray', e instanceof Error ? e.message : String(e));
      app.exit(2);
    });
}
