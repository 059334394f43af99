/**
 * What a store database holds of the video, as short hashes keyed by camera-local track keys (row
 * ids depend on how the cameras interleaved): positions, appearance embeddings, torso colours and
 * tracks. Two builds agree on an input when their digests match: the accuracy guard of an A/B of
 * `npm run bench:store -- --cli [--bin OTHER/bin/floorsense.js]` (run one, digest, run the other).
 *
 *   npx tsx agent/bench/store-digest.ts out/bench-store/sub360-4x30s/store.db
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

const path = process.argv[2];
if (!path) throw new Error('usage: npx tsx agent/bench/store-digest.ts STORE.db');
const db = new Database(path, { readonly: true, fileMustExist: true });
const hash = (rows: unknown[]): string =>
  createHash('sha256')
    .update(JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)))
    .digest('hex')
    .slice(0, 12);
const rows = (sql: string): Record<string, unknown>[] => db.prepare(sql).all() as Record<string, unknown>[];
const withoutId = (r: Record<string, unknown>[]) => r.map(({ track_id: _id, ...rest }) => rest);
const parts = {
  positions: rows('select t.track_key, p.t_ms, p.x, p.y, p.w, p.h, p.score from positions p join tracks t on t.id = p.track_id order by t.track_key, p.t_ms'),
  appearance: withoutId(rows('select t.track_key, a.* from track_appearance a join tracks t on t.id = a.track_id order by t.track_key')),
  colours: withoutId(rows('select t.track_key, c.* from track_color c join tracks t on t.id = c.track_id order by t.track_key')),
  tracks: rows('select track_key, camera_id, first_ms, last_ms, frame_width, frame_height from tracks order by track_key'),
};
console.log(
  Object.entries(parts)
    .map(([name, r]) => `${name} ${r.length} ${hash(r)}`)
    .join('; '),
);
db.close();
