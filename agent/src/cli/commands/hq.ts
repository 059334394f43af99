import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { FailureError, MisuseError } from '../../core/errors.js';
import { chainReader, startHqServer } from '../../hq/index.js';
import { createClickHouseTransport, printableUrl } from '../../sync/clickhouse.js';
import { LOCALES, type Locale } from '../../ui/i18n.js';

interface HqFlags {
  clickhouse: string;
  user: string;
  passwordFile?: string;
  database: string;
  host: string;
  port: string;
  allowedHost: string[];
  tokenFile?: string;
  lang: string;
  retry: string;
  timeout: string;
  currency?: string;
}

/** A secret from a file, first line, trimmed: on the command line it would show in `ps`. */
function secretFile(path: string, what: string): string {
  try {
    return (readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '').trim();
  } catch (e) {
    throw new FailureError('FS_FILE_NOT_FOUND', `${what} ${path}: ${(e as Error).message}`, { file: path }, { cause: e });
  }
}

function int(flag: string, v: string): number {
  if (!/^[0-9]{1,6}$/.test(v)) throw new MisuseError('FS_BAD_ARGUMENT', `${flag} "${v}" is not a whole number`, { key: flag });
  return Number(v);
}

export function registerHqCommand(program: Command): void {
  program
    .command('hq')
    .description('Serve the chain dashboard over the central ClickHouse views (loopback by default; read with the read-only user `sync --init` prints)')
    .requiredOption('--clickhouse <url>', 'central ClickHouse HTTP endpoint, e.g. http://clickhouse.chain.local:8123')
    .option('--user <name>', 'ClickHouse user (read-only is enough)', 'floorsense_dashboard')
    .option('--password-file <file>', "file holding the user's password (first line)")
    .option('--database <name>', 'central database (sync.database of the boxes)', 'floorsense')
    .option('--host <address>', 'address to serve on', '127.0.0.1')
    .option('--port <n>', 'port to serve on (0: any free one)', '8788')
    .option('--allowed-host <name>', 'a Host name served besides loopback (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--token-file <file>', 'token the page and API require (needed off loopback); open the page with ?token=')
    .option('--lang <ru|en>', 'language of the first paint (the viewer can switch)', 'ru')
    .option('--retry <seconds>', 'how often the page retries while ClickHouse is unreachable', '5')
    .option('--timeout <seconds>', 'ClickHouse request timeout', '30')
    .option('--currency <code>', "ISO 4217 code of the chain's amounts, e.g. RUB (the records carry no currency; without it amounts are plain numbers)")
    .action(async (f: HqFlags) => {
      if (!(LOCALES as readonly string[]).includes(f.lang))
        throw new MisuseError('FS_BAD_ARGUMENT', `--lang ${f.lang}: expected one of ${LOCALES.join(', ')}`, { key: 'lang' });
      let url: URL;
      try {
        url = new URL(f.clickhouse);
      } catch {
        throw new MisuseError('FS_BAD_ARGUMENT', `--clickhouse "${f.clickhouse}" is not a URL (e.g. http://clickhouse.chain.local:8123)`, {
          key: 'clickhouse',
        });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new MisuseError('FS_BAD_ARGUMENT', `--clickhouse ${printableUrl(f.clickhouse)}: http or https only`, { key: 'clickhouse' });
      const transport = createClickHouseTransport({
        url: f.clickhouse,
        username: f.user,
        password: f.passwordFile ? secretFile(f.passwordFile, '--password-file') : '',
        timeoutMs: int('--timeout', f.timeout) * 1000,
      });
      const srv = await startHqServer(
        {
          host: f.host,
          port: int('--port', f.port),
          token: f.tokenFile ? secretFile(f.tokenFile, '--token-file') : undefined,
          allowedHosts: f.allowedHost,
          locale: f.lang as Locale,
          server: transport.url,
          database: f.database,
          retrySeconds: int('--retry', f.retry),
          currency: f.currency ?? null,
          onError: (e, where) => console.error(JSON.stringify({ level: 'warn', where, error: e instanceof Error ? e.message : String(e) })),
        },
        chainReader(transport, f.database),
      );
      console.log(`floorsense hq: chain dashboard at ${srv.url}/ over ClickHouse ${transport.url}, database ${f.database} (Ctrl-C stops)`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          resolve();
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      await srv.close();
      await transport.close();
    });
}
