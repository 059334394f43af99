/**
 * Start and stop the real RTSP server in test/helpers/rtsp_server.py (GStreamer, driven by Debian's
 * /usr/bin/python3, which has the `gi` bindings; a pyenv python3 on PATH may not).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RtspServer {
  readonly port: number;
  url(mount: string): string;
  /** SIGKILL, as a camera that loses power. */
  kill(): Promise<void>;
}

const script = join(dirname(fileURLToPath(import.meta.url)), 'rtsp_server.py');

export async function startRtspServer(mounts: Record<string, string>, opts: { loop?: boolean; port?: number } = {}): Promise<RtspServer> {
  const args = [
    script,
    ...(opts.loop ? ['--loop'] : []),
    ...(opts.port ? ['--port', String(opts.port)] : []),
    ...Object.entries(mounts).map(([m, p]) => `${m}=${p}`),
  ];
  const child: ChildProcess = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`RTSP server did not start in 30 s: ${stderr}`)), 30_000);
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`RTSP server exited with ${code}: ${stderr}`));
    });
  });
  return {
    port,
    url: (mount) => `rtsp://127.0.0.1:${port}/${mount}`,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
