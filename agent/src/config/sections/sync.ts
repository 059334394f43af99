import { z } from 'zod';

/** A cluster name as ON CLUSTER takes it unquoted (the element name in remote_servers). */
export const clusterName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only (the cluster name in remote_servers)')
  .max(128);

/**
 * Deferred sync of aggregates to a central ClickHouse over HTTP. Without `url` the agent only
 * fills its outbox; `floorsense sync --status` still shows the backlog.
 */
export const syncSection = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('ClickHouse HTTP endpoint, e.g. http://clickhouse.chain.local:8123; absent = sync off.'),
    database: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only')
      .default('floorsense')
      .describe('Central database holding the aggregate tables.'),
    cluster: clusterName
      .optional()
      .describe(
        'ClickHouse cluster (a name in remote_servers) holding the central database in the cluster layout: replicated tables sharded by store_id behind Distributed tables, made by `floorsense sync --init --cluster NAME`. Absent = one server.',
      ),
    username: z.string().min(1).default('default').describe('ClickHouse user allowed to INSERT into the database.'),
    password: z.string().default('').describe('Password of that user.'),
    batch_rows: z.int().min(1).max(100_000).default(2000).describe('Outbox rows sent per INSERT batch.'),
    interval_s: z.int().min(1).max(86_400).default(60).describe('Seconds between drains when the backlog is empty.'),
    backoff_min_s: z.number().min(0.1).max(3600).default(5).describe('First retry delay after a failure (exponential, full jitter).'),
    backoff_max_s: z.number().min(1).max(86_400).default(900).describe('Cap on the retry delay.'),
    timeout_s: z.int().min(1).max(600).default(30).describe('HTTP request timeout per batch.'),
  })
  .refine((s) => s.backoff_min_s <= s.backoff_max_s, { message: 'backoff_min_s must not exceed backoff_max_s', path: ['backoff_min_s'] })
  .describe('Aggregates to the central ClickHouse (deferred, idempotent).');
