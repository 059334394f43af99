/**
 * The roll-up worker thread's entry (started by rollup-worker-client.ts): its own better-sqlite3
 * connection to the agent's WAL database, and the same functions the main thread would call
 * (rollup.ts `rollUpDay`, rollup-worker-client.ts `apiDayOf`), one job at a time. Only the work moves
 * here; what is computed and saved is exactly what the main thread would compute and save.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { rollUpDay } from './rollup.js';
import { nameThread } from '../runtime/thread-name.js';
import { apiDayOf, serializeError, type CamerasMessage, type DayJobMessage, type DayJobReply, type RollupWorkerData } from './rollup-worker-client.js';

nameThread('rollup');
const port = parentPort;
if (!port) throw new Error('rollup-worker.ts is a worker thread entry; start it with rollup-worker-client.ts');
const { dbPath, busyTimeoutMs } = workerData as RollupWorkerData;
let cfg = (workerData as RollupWorkerData).cfg;
// fileMustExist: the main thread opened (and migrated) the store before starting the worker.
const db = new Database(dbPath, { timeout: busyTimeoutMs, fileMustExist: true });
// Per-connection settings as store/open.ts sets them on the main connection (WAL is the file's own).
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');

port.on('message', (m: DayJobMessage | CamerasMessage) => {
  if (m.kind === 'cameras') {
    cfg = { ...cfg, cameras: m.cameras };
    return;
  }
  let reply: DayJobReply;
  try {
    const result = m.kind === 'rollup' ? rollUpDay(db, cfg, m.date, m.nowMs) : apiDayOf(db, cfg, m.date);
    reply = { id: m.id, ok: true, result };
  } catch (e) {
    reply = { id: m.id, ok: false, error: serializeError(e) };
  }
  port.postMessage(reply);
});
port.on('close', () => db.close());
