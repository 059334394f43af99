/**
 * `floorsense label DIR`: the correction tool over an `analyze` output folder (see agent/src/label).
 * Serves until Ctrl-C; every save writes DIR/gt.txt and DIR/events.json.
 */
import type { Command } from 'commander';
import { MisuseError } from '../../core/errors.js';
import { openLabelSession } from '../../label/session.js';
import { startLabelServer } from '../../label/server.js';

interface LabelCliOptions {
  camera?: string;
  video?: string;
  port: string;
  host: string;
  locale: string;
}

export function registerLabelCommand(program: Command): void {
  program
    .command('label <dir>')
    .description(
      'Correct boxes, identities, roles and consultations of an analyze output folder in a local page; saves DIR/gt.txt (MOT ground truth) and DIR/events.json',
    )
    .option('--camera <id>', "camera id (the folder's <camera>.txt); default: the folder's only one")
    .option('--video <file>', "the clip analyze read (default: summary.json's source); its sampled frames are extracted into DIR/frames/")
    .option('--port <n>', 'port on 127.0.0.1 (0: any free one)', '8790')
    .option('--host <addr>', 'loopback address to listen on', '127.0.0.1')
    .option('--locale <ru|en>', 'page language (a switch in the page too)', 'ru')
    .action(async (dir: string, opts: LabelCliOptions) => {
      const port = Number(opts.port);
      if (!/^\d+$/.test(opts.port) || port > 65_535) throw new MisuseError('FS_BAD_ARGUMENT', `--port must be 0-65535, got "${opts.port}"`, { flag: '--port' });
      if (opts.locale !== 'ru' && opts.locale !== 'en')
        throw new MisuseError('FS_BAD_ARGUMENT', `--locale must be ru or en, got "${opts.locale}"`, { flag: '--locale' });
      const session = openLabelSession({ dir, ...(opts.camera ? { camera: opts.camera } : {}), ...(opts.video ? { video: opts.video } : {}) });
      const server = await startLabelServer(session, { host: opts.host, port, locale: opts.locale });
      const s = session.state();
      process.stdout.write(
        `labelling ${s.camera}: ${s.frames.length} frames, ${s.boxes.length} boxes (${s.from === 'labels' ? 'saved labels' : 'tracker output'}); open ${server.url}/ (Ctrl-C stops)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
