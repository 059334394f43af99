/** A status provider serving fixed data, as the agent would, recording what was handed to it. */
import { letterboxFor, type Frame } from '../../agent/src/core/frame.js';
import type { AgentStatus, KpisView, Snapshot, StatusProvider } from '../../agent/src/api/index.js';
import type { ConsultationRecord, DayReport } from '../../agent/src/metrics/kpis.js';
import type { Receipt } from '../../agent/src/sales/receipts.js';

export const NOW = Date.parse('2025-03-05T09:30:00Z'); // 12:30 in Moscow

export const STATUS: AgentStatus = {
  store_id: 'msk-01',
  time_zone: 'Europe/Moscow',
  version: '0.1.0',
  started_ms: NOW - 3_600_000,
  now_ms: NOW,
  cameras: [
    { id: 'entrance', state: 'up', since_ms: NOW - 3_000_000, last_frame_ms: NOW - 400, fps: 4.9, frames: 17_640, dropped_frames: 3, coverage_today: 0.98 },
    { id: 'hall', state: 'frozen', since_ms: NOW - 120_000, last_frame_ms: NOW - 900, fps: 5, frames: 17_500, dropped_frames: 0, coverage_today: 1 },
    { id: 'till', state: 'down', since_ms: NOW - 600_000, last_frame_ms: NOW - 700_000, fps: null, frames: 2_100, dropped_frames: 0, coverage_today: 0.61 },
  ],
  detector: { queue_depth: 2, queue_capacity: 8, fps: 14.7, dropped_frames: 3 },
  sync: {
    enabled: true,
    backlog_rows: 124,
    quarantined_rows: 0,
    last_success_ms: NOW - 240_000,
    last_error: 'ClickHouse at http://ch:8123 unreachable',
    failures: 3,
    next_try_ms: NOW + 20_000,
  },
  box: {
    at_ms: NOW,
    cpu_count: 2,
    cpu_load_percent: 63.5,
    load_avg_1m: 1.7,
    memory_total_bytes: 8 * 2 ** 30,
    memory_available_bytes: 3 * 2 ** 30,
    disk_path: '/var/lib/floor"sense\\data',
    disk_free_bytes: 40 * 2 ** 30,
    disk_total_bytes: 100 * 2 ** 30,
    cpu_temperature_c: null,
    cpu_temperature_max_c: null,
    gpus: [],
    unavailable: [],
  },
  warnings: [
    { source: 'camera', subject: 'hall', message: 'camera "hall" image frozen (no pixel change) for 120 s', since_ms: NOW - 120_000 },
    { source: 'camera', subject: 'till', message: 'camera "till" is down (no frames) for 600 s', since_ms: NOW - 600_000 },
    { source: 'sync', subject: 'clickhouse', message: 'sync backlog 124 rows; ClickHouse at http://ch:8123 unreachable', since_ms: NOW - 240_000 },
  ],
};

const kpi = { consultations: 0, successful_consultations: 0, unsuccessful_consultations: 0, mean_consultation_seconds: null, buying_customers: 0, revenue: 0 };

export const REPORT: DayReport = {
  date: '2025-03-05',
  currency: 'RUB',
  store: {
    ...kpi,
    store_id: 'msk-01',
    time_zone: 'Europe/Moscow',
    checkouts: 9,
    customers: 42,
    consulted_customers: 17,
    interaction_ratio: 0.4048,
    consultations: 19,
    successful_consultations: 9,
    unsuccessful_consultations: 10,
    conversion: 0.3333,
    avg_purchase_with_consultation: 2480.5,
    avg_purchase_without_consultation: 990,
    mean_consultation_seconds: 95.2,
    buying_customers: 14,
    revenue: 27310,
    receipts: 15,
    receipts_total: 28100,
    unattributed_receipts: 3,
    staff_hours: 4,
    visitors_per_staff_hour: 10.5,
    sales_per_staff_hour: 7025,
    median_time_to_first_contact_s: 84,
  },
  sellers: [
    {
      ...kpi,
      seller_id: 'anna',
      name: 'Анна Иванова',
      attributed_receipts: 7,
      attributed_revenue: 16100,
      median_time_to_first_contact_s: 70,
      time_on_floor_seconds: 9000,
      checkouts: 4,
      customers: 30,
      consulted_customers: 11,
      interaction_ratio: 0.3667,
      consultations: 12,
      conversion: 0.5455,
      avg_purchase_with_consultation: 2600,
      avg_purchase_without_consultation: 990,
      buying_customers: 6,
      revenue: 15600,
    },
    {
      ...kpi,
      seller_id: 'boris',
      name: null,
      attributed_receipts: 3,
      attributed_revenue: 6723,
      median_time_to_first_contact_s: null,
      time_on_floor_seconds: 5400,
      checkouts: 5,
      customers: 25,
      consulted_customers: 6,
      interaction_ratio: 0.24,
      consultations: 7,
      conversion: 0.5,
      avg_purchase_with_consultation: 2241,
      avg_purchase_without_consultation: null,
      buying_customers: 3,
      revenue: 6723,
    },
  ],
};

export const CONSULTATIONS: ConsultationRecord[] = [
  { sellerId: 'anna', visitId: 'v-17', start: Date.parse('2025-03-05T07:10:00Z'), end: Date.parse('2025-03-05T07:12:30Z'), durationS: 150 },
  { sellerId: 'boris', visitId: 'v-21', start: Date.parse('2025-03-05T08:00:00Z'), end: Date.parse('2025-03-05T08:00:45Z'), durationS: 45 },
];

/** A letterboxed 768x432 -> 640x640 frame: a gradient picture inside a grey pad. */
export function syntheticFrame(): Frame {
  const lb = letterboxFor(768, 432, 640, 640);
  const data = new Uint8Array(640 * 640 * 3).fill(114);
  const h = Math.round(432 * lb.scale);
  for (let y = lb.padY; y < lb.padY + h; y++) {
    for (let x = 0; x < 640; x++) data.set([(x * 255) / 640, (y * 255) / 640, 60], (y * 640 + x) * 3);
  }
  return { sourceId: 'entrance', index: 7, ptsSec: 1.4, timestampMs: NOW, width: 640, height: 640, data, letterbox: lb };
}

export interface FixtureProvider extends StatusProvider {
  readonly receipts: Receipt[];
  readonly asked: string[];
  fail: Error | null;
}

export function fixtureProvider(frame: Frame = syntheticFrame()): FixtureProvider {
  const receipts: Receipt[] = [];
  const asked: string[] = [];
  const p: FixtureProvider = {
    receipts,
    asked,
    fail: null,
    status() {
      if (p.fail) throw p.fail;
      return STATUS;
    },
    kpis(date): KpisView {
      asked.push(`kpis ${date}`);
      return date === REPORT.date ? { report: REPORT, camera_coverage: { entrance: 0.98, hall: 1, till: 0.61 } } : { report: null, camera_coverage: {} };
    },
    days() {
      return {
        store_id: 'msk-01',
        time_zone: 'Europe/Moscow',
        locale: 'en',
        currency: null,
        days: [REPORT.date],
        consultation: { distance_m: 1.5, min_seconds: 20 },
      };
    },
    trends(to) {
      return { from: to, to, store: [], sellers: {}, names: {} };
    },
    async consultations(date) {
      asked.push(`consultations ${date}`);
      return date === REPORT.date ? CONSULTATIONS : [];
    },
    snapshot(id): Snapshot | null | undefined {
      if (id === 'entrance')
        return {
          frame,
          boxes: [
            { x1: 100, y1: 200, x2: 220, y2: 400, track_id: 7 },
            { x1: 400, y1: 180, x2: 480, y2: 420, label: 'staff' },
          ],
          zones: [
            {
              name: 'door',
              kind: 'entrance',
              polygon: [
                [500, 20],
                [700, 20],
                [700, 120],
                [500, 120],
              ],
            },
          ],
        };
      if (id === 'till') return null;
      return undefined;
    },
    addReceipts(list) {
      let stored = 0;
      for (const r of list) {
        if (receipts.some((x) => x.receiptId === r.receiptId)) continue;
        receipts.push(r);
        stored++;
      }
      return { stored, duplicates: list.length - stored };
    },
  };
  return p;
}
