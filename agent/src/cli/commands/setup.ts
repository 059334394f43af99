import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { SYSTEM_CONFIG_PATH } from '../../config/load.js';
import { MisuseError } from '../../core/errors.js';

interface SetupFlags {
  config?: string;
  answers?: string;
  lang?: string;
  allowUnreachable?: boolean;
}

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description(
      'Write the store config: store, cameras (each probed, a snapshot saved beside the config, a substream proposed for 1080p+), ClickHouse sync and schedule tested. Interactive on a terminal; --answers FILE for scripted installs (exit 1 naming the answer key on any failure)',
    )
    .option(
      '-c, --config <file>',
      `config to write (default: $FLOORSENSE_CONFIG, else ${SYSTEM_CONFIG_PATH}); an existing one is the default of every answer, keeps its zones and is saved as .bak`,
    )
    .option('--answers <file>', 'answers YAML/JSON (store, cameras, sync, schedule) instead of questions')
    .option('--lang <ru|en>', 'language of the questions and messages (default: from LANG)')
    .option('--allow-unreachable', 'with --answers: write a camera that does not answer (with a warning) instead of failing')
    .action(async (flags: SetupFlags) => {
      if (flags.lang !== undefined && flags.lang !== 'ru' && flags.lang !== 'en')
        throw new MisuseError('FS_BAD_ARGUMENT', `--lang ${JSON.stringify(flags.lang)}: expected ru or en`);
      // Loaded here: setup pulls in ffmpeg probing, ClickHouse and SQLite (via doctor).
      const { runSetup, answerMap } = await import('../../setup/setup.js');
      const { loadAnswers } = await import('../../setup/answers.js');
      const { promptIO, scriptedIO } = await import('../../setup/io.js');
      const { messages, pickLang } = await import('../../setup/messages.js');
      const fromEnv = process.env.FLOORSENSE_CONFIG;
      const configPath = flags.config ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : SYSTEM_CONFIG_PATH);
      const answers = flags.answers !== undefined ? loadAnswers(flags.answers) : undefined;
      const lang = pickLang(flags.lang ?? answers?.lang);
      const msg = messages(lang);
      const out = (s: string): void => void process.stdout.write(s);
      const baseDir = flags.answers !== undefined ? dirname(resolve(flags.answers)) : process.cwd();
      const io = answers
        ? scriptedIO(flags.answers!, answerMap(answers, baseDir), out)
        : promptIO(process.stdin, process.stdout, msg, process.stdin.isTTY === true);
      try {
        await runSetup({
          configPath,
          io,
          msg,
          lang,
          baseDir,
          ...(answers ? { answers } : {}),
          allowUnreachable: flags.allowUnreachable === true || answers?.allow_unreachable === true,
        });
      } finally {
        io.close();
      }
    });
}
