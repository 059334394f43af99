import type { Command } from 'commander';
import { MisuseError } from '../../core/errors.js';
import { defaultConfigPath, loadConfigFile } from '../../config/load.js';
import { clusterName } from '../../config/sections/sync.js';
import { syncInit, syncOnce, syncStatus } from '../../sync/service.js';

interface SyncFlags {
  config?: string;
  init?: boolean;
  once?: boolean;
  status?: boolean;
  cluster?: string;
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('Central ClickHouse: create its tables (--init), send the outbox now (--once), show the backlog (--status)')
    .option('-c, --config <file>', 'store config YAML (default: $FLOORSENSE_CONFIG, else /etc/floorsense/store.yaml, else the embedded demo)')
    .option('--init', 'create the central database, tables and views; print SQL for a read-only dashboard user')
    .option('--once', 'drain the outbox now and report what was sent')
    .option('--status', 'show the unsent backlog (works offline)')
    .option('--cluster <name>', 'the ClickHouse cluster (remote_servers) of the cluster layout: with --init, make it ON CLUSTER; overrides sync.cluster')
    .action(async (flags: SyncFlags) => {
      const chosen = (['init', 'once', 'status'] as const).filter((k) => flags[k] === true);
      if (chosen.length !== 1) {
        throw new MisuseError(
          'FS_BAD_ARGUMENT',
          `floorsense sync: give exactly one of --init, --once, --status (got ${chosen.length === 0 ? 'none' : chosen.map((c) => `--${c}`).join(' ')})`,
        );
      }
      const loaded = loadConfigFile(flags.config ?? defaultConfigPath());
      let cluster = loaded.sync.cluster;
      if (flags.cluster !== undefined) {
        const parsed = clusterName.safeParse(flags.cluster);
        if (!parsed.success)
          throw new MisuseError('FS_BAD_ARGUMENT', `--cluster ${JSON.stringify(flags.cluster)}: ${parsed.error.issues[0]?.message ?? 'not a cluster name'}`);
        cluster = parsed.data;
      }
      const cfg = { ...loaded, sync: { ...loaded.sync, cluster } };
      const clock = (): number => Date.now();
      if (flags.init) {
        const r = await syncInit(cfg.sync);
        const where = r.cluster ? ` ON CLUSTER ${r.cluster} (replicated tables *_local, Distributed tables sharded by store_id, the views over them)` : '';
        console.log(`ClickHouse ${r.serverVersion} at ${r.url}: ${r.statements} statements applied to database ${cfg.sync.database}${where}`);
        if (r.added.length > 0) console.log(`columns added to tables of an earlier release (their older rows read 0): ${r.added.join(', ')}`);
        for (const t of r.retired)
          console.log(
            `retired table ${cfg.sync.database}.${t} is no longer written or read; it holds finer data than this release sends: drop it when the chain no longer needs it (DROP TABLE ${cfg.sync.database}.${t})`,
          );
        console.log('\nRead-only dashboard user (run as an admin on the central server):\n');
        console.log(r.dashboardUser);
      } else if (flags.once) {
        const r = await syncOnce(cfg.storage, cfg.sync, clock);
        const types = Object.entries(r.byType)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ');
        console.log(
          `sent ${r.sent} record(s) in ${r.batches} batch(es)${types ? ` (${types})` : ''}; ${r.remaining} left${r.quarantined > 0 ? `; ${r.quarantined} quarantined (see sync --status)` : ''}`,
        );
      } else {
        const b = syncStatus(cfg.storage, clock);
        const oldest = b.oldestUnsentMs === null ? '-' : new Date(b.oldestUnsentMs).toISOString();
        console.log(`unsent ${b.unsent} (oldest ${oldest}); sent and not yet purged ${b.sent}`);
        for (const [t, n] of Object.entries(b.byType)) console.log(`  ${t}: ${n}`);
        if (b.quarantined > 0) {
          console.log(`quarantined ${b.quarantined} (fail the sync whitelist: never sent; a newer version of the record replaces them)`);
          for (const q of b.quarantine) console.log(`  seq ${q.seq} ${q.type} ${q.recordId} at ${new Date(q.quarantinedMs).toISOString()}: ${q.reason}`);
        }
      }
    });
}
