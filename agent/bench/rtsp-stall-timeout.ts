/**
 * How long after an RTSP/TCP stream stalls does ffmpeg give up, for a given socket option? The
 * figure behind the comment in ingest/argv.ts networkArgs. Starts the test GStreamer server
 * (test/helpers/rtsp.ts), lets ffmpeg read 3 s, SIGSTOPs the server and times ffmpeg's exit.
 *   node --import tsx agent/bench/rtsp-stall-timeout.ts CLIP.mp4 -timeout 2000000
 * Prints: the options, ffmpeg's exit code, seconds from the stall to the exit, its last line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { reasonLine } from '../src/ingest/failures.js';
import { startRtspServer } from '../../test/helpers/rtsp.js';

const [clip, ...extra] = process.argv.slice(2);
if (!clip) throw new Error('usage: rtsp-stall-timeout.ts CLIP.mp4 [ffmpeg input options...]');
const server = await startRtspServer({ cam: clip }, { loop: true });
const args = [
  '-hide_banner',
  '-nostdin',
  '-nostats',
  '-loglevel',
  'error',
  '-rtsp_transport',
  'tcp',
  ...extra,
  '-i',
  server.url('cam'),
  '-map',
  '0:v:0',
  '-vf',
  'scale=64:36',
  '-f',
  'rawvideo',
  '-pix_fmt',
  'rgb24',
  '-y',
  '/dev/null',
];
const ff = spawn('ffmpeg', args);
let err = '';
ff.stderr.on('data', (b: Buffer) => (err += b.toString()));
let stalledAt: number | null = null;
let pid = 0;
setTimeout(() => {
  // The server process, found by its listening port.
  const line =
    execFileSync('ss', ['-ltnp'])
      .toString()
      .split('\n')
      .find((l) => l.includes(`:${server.port} `)) ?? '';
  pid = Number(/pid=(\d+)/.exec(line)?.[1] ?? 0);
  if (pid > 0) process.kill(pid, 'SIGSTOP');
  stalledAt = Date.now();
}, 3000);
const limit = setTimeout(() => ff.kill('SIGKILL'), 60_000);
ff.on('exit', (code, signal) => {
  clearTimeout(limit);
  const after = stalledAt === null ? 'before the stall' : `${((Date.now() - stalledAt) / 1000).toFixed(1)} s after the stall`;
  console.log(`${extra.join(' ') || '(no option)'}: exit ${code ?? signal}, ${after}: ${reasonLine(err.split('\n'))}`);
  if (pid > 0) process.kill(pid, 'SIGCONT');
  void server.kill().then(() => process.exit(0));
});
