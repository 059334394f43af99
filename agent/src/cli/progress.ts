/**
 * Progress for long CLI jobs: a redrawn bar on a terminal, plain timestamped lines otherwise
 * (systemd journals and CI logs must not fill with carriage returns).
 */
export interface ProgressSink {
  /** fraction in [0,1] when known (files), null for live sources. */
  update(fraction: number | null, detail: string): void;
  done(detail: string): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly stream?: NodeJS.WriteStream;
  /** Minimum interval between plain lines, ms. */
  readonly lineIntervalMs?: number;
  readonly now?: () => number;
}

export function createProgress(opts: ProgressOptions): ProgressSink {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const tty = Boolean(stream.isTTY);
  const interval = opts.lineIntervalMs ?? 5000;
  let lastLine = -Infinity;
  let lastDraw = -Infinity;
  return {
    update(fraction, detail) {
      const t = now();
      if (tty) {
        if (t - lastDraw < 100) return;
        lastDraw = t;
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - detail.length - opts.label.length - 12));
        stream.write(`\r${opts.label} ${renderBar(fraction, width)} ${detail}\x1b[K`);
      } else if (t - lastLine >= interval) {
        lastLine = t;
        const pct = fraction === null ? '' : ` ${(fraction * 100).toFixed(0)}%`;
        stream.write(`${opts.label}${pct} ${detail}\n`);
      }
    },
    done(detail) {
      stream.write(tty ? `\r${opts.label} ${renderBar(1, 20)} ${detail}\x1b[K\n` : `${opts.label} done ${detail}\n`);
    },
  };
}

export function renderBar(fraction: number | null, width: number): string {
  if (fraction === null) return `[${'?'.repeat(width)}]`;
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}%`;
}
