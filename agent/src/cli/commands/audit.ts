/**
 * `floorsense audit prepare <clip>` and `floorsense audit score`: the pilot's audit of a store
 * (agent/src/audit): a manager labels clips the store exported, the agent reports how far it agrees.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_DIR, auditCamera, auditFolder, formatAudit, LABEL_FPS, scoreAudit, writeAgreement } from '../../audit/index.js';
import { loadConfigFile } from '../../config/load.js';
import { MisuseError } from '../../core/errors.js';
import { runAnalyze } from './analyze.js';

interface PrepareOptions {
  config: string;
  camera?: string;
  dir: string;
  start?: string;
}

interface ScoreOptions {
  config: string;
  dir: string;
  json?: boolean;
}

export function registerAuditCommand(program: Command): void {
  const cmd = program
    .command('audit')
    .description("The pilot's audit: a manager labels clips of the store in `floorsense label`, the agent reports how far it agrees");
  cmd
    .command('prepare <clip>')
    .description(
      `Make an audit folder for a clip exported from the store's NVR: the clip at ${LABEL_FPS} fps for \`floorsense label\`, and in ${AGENT_DIR}/ the clip as the agent analyses it (the config's sampling, detector, tracker and zones)`,
    )
    .requiredOption('--config <file>', 'the store config (the camera, its zones, the analytics)')
    .option('--camera <id>', "the camera the clip is from (default: the config's only camera)")
    .option('--dir <dir>', 'where audit folders go', 'audits')
    .option('--start <iso>', "UTC time of the clip's first frame (default as `analyze`: creation_time tag, time in the name, else mtime)")
    .action(async (clip: string, o: PrepareOptions) => {
      const config = loadConfigFile(o.config);
      const camera = auditCamera(config, o.camera);
      const folder = auditFolder(o.dir, camera, clip);
      // Never over a folder a manager may have labelled: their work is the audit.
      if (existsSync(folder))
        throw new MisuseError('FS_BAD_ARGUMENT', `${folder} exists already (labels there would be lost): remove it or rename the clip`, { folder });
      const common = { config: o.config, cameraId: camera, appearance: true, motionGate: true, preview: false, ...(o.start ? { start: o.start } : {}) };
      await runAnalyze(clip, { ...common, fps: String(LABEL_FPS), out: folder });
      await runAnalyze(clip, { ...common, out: join(folder, AGENT_DIR) });
      process.stdout.write(
        `audit folder ${folder}: label it with \`floorsense label ${folder}\` (mark each person's role and every consultation and checkout you see, save with Ctrl+S), then run \`floorsense audit score --config ${o.config} --dir ${o.dir}\`\n`,
      );
    });
  cmd
    .command('score')
    .description(
      "The agent against the manager's labels, summed over every labelled audit folder: counts, precision, recall, same seller, roles; writes DIR/agreement.json",
    )
    .requiredOption('--config <file>', 'the store config the clips were prepared with')
    .option('--dir <dir>', 'the audit folders', 'audits')
    .option('--json', 'print the report as one JSON object')
    .action((o: ScoreOptions) => {
      const report = scoreAudit(o.dir, loadConfigFile(o.config));
      if (report.clips.length === 0)
        throw new MisuseError(
          'FS_BAD_ARGUMENT',
          `${o.dir}: no labelled audit folder yet (${report.pending.length} prepared: label them with floorsense label <folder>)`,
          { dir: o.dir },
        );
      const path = writeAgreement(o.dir, report);
      process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : `${formatAudit(report)}wrote ${path}\n`);
    });
}
