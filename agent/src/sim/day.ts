/**
 * The simulated day itself: sellers on shifts at their posts, customers arriving by the hourly rate,
 * browsing from spot to spot, asking for a consultation (a free seller walks over), sometimes a brief
 * question, buying at the till (queueing for the till seller) and leaving. Everything is planned in
 * seconds from the local midnight of the day, as piecewise-linear paths, with the truth recorded.
 */
import type { Point } from '../scene/geometry.js';
import { zonedToUtc } from '../core/local-time.js';
import type { Layout } from './layout.js';
import { pathFrom, positionAt, type PathBuilder, type Waypoint } from './path.js';
import type { Rng } from './prng.js';
import type { Scenario } from './scenario.js';

export interface SimPerson {
  /** `seller:<id>` or `customer:<visit id>` */
  readonly label: string;
  readonly role: 'seller' | 'customer';
  readonly points: readonly Waypoint[];
}

export interface TruthVisit {
  readonly visitId: string;
  readonly start: number;
  readonly end: number;
}

export interface TruthInteraction {
  readonly kind: 'consultation' | 'brief' | 'checkout';
  readonly sellerId: string;
  readonly visitId: string;
  readonly start: number;
  readonly end: number;
}

export interface SimReceipt {
  readonly receiptId: string;
  readonly visitId: string;
  /** Seconds from the day's local midnight (video clock). */
  readonly t: number;
  readonly total: number;
  readonly sellerId: string;
}

export interface SimShift {
  readonly sellerId: string;
  readonly name: string;
  readonly startLocal: string;
  readonly endLocal: string;
  readonly start: number;
  readonly end: number;
}

export interface DayPlan {
  /** UTC milliseconds of the day's local midnight; all times in the plan are seconds from it. */
  readonly t0: number;
  readonly open: number;
  readonly close: number;
  readonly persons: readonly SimPerson[];
  readonly visits: readonly TruthVisit[];
  readonly interactions: readonly TruthInteraction[];
  readonly receipts: readonly SimReceipt[];
  readonly shifts: readonly SimShift[];
}

interface Task {
  readonly kind: TruthInteraction['kind'];
  readonly depart: number;
  readonly end: number;
  readonly meet: Point;
}

interface SellerState {
  readonly shift: SimShift;
  readonly post: Point;
  readonly counter: boolean;
  readonly tasks: Task[];
}

const SELLER_SPEED = 1.1;
/** Personal space between shoppers (and from floor posts): a stranger's consultation is not joined. */
const SPACING_M = 2.6;
const dist = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Everything the planning steps share: the scenario, the layout, the random stream and what is planned so far. */
interface DayContext {
  readonly sc: Scenario;
  readonly layout: Layout;
  readonly rng: Rng;
  readonly sellers: readonly SellerState[];
  readonly interactions: TruthInteraction[];
  readonly receipts: SimReceipt[];
  readonly visits: TruthVisit[];
  readonly persons: SimPerson[];
  /** Till services planned so far, [start, end] in seconds. */
  readonly tillBusy: Array<[number, number]>;
}

export function planDay(sc: Scenario, layout: Layout, rng: Rng): DayPlan {
  const tz = sc.store.timezone;
  const t0 = zonedToUtc(sc.date, '00:00', tz);
  const rel = (hhmm: string): number => (zonedToUtc(sc.date, hhmm, tz) - t0) / 1000;
  const open = rel(sc.hours.open);
  const close = rel(sc.hours.close);
  const ctx: DayContext = {
    sc,
    layout,
    rng,
    sellers: sellersAtPosts(sc, layout, rel),
    interactions: [],
    receipts: [],
    visits: [],
    persons: [],
    tillBusy: [],
  };
  for (const [n, tArr] of arrivalTimes(sc, open, close, rng).entries()) planVisit(ctx, tArr, `c${n + 1}`);
  for (const s of ctx.sellers) ctx.persons.push({ label: `seller:${s.shift.sellerId}`, role: 'seller', points: sellerPath(s, layout, rng) });
  const numbered = [...ctx.receipts]
    .sort((a, b) => a.t - b.t)
    .map((r, i) => ({ ...r, receiptId: `R${sc.date.replace(/-/g, '')}-${String(i + 1).padStart(4, '0')}` }));
  return {
    t0,
    open,
    close,
    persons: ctx.persons,
    visits: ctx.visits,
    interactions: ctx.interactions,
    receipts: numbered,
    shifts: ctx.sellers.map((s) => s.shift),
  };
}

/**
 * Counter sellers at the counter post; floor sellers spread over the camera strips, alternating front
 * and back, never two on one spot: with one strip the third floor seller came back to the first one's
 * post, and two people standing in one place all day swapped track ids at every step.
 */
function sellersAtPosts(sc: Scenario, layout: Layout, rel: (hhmm: string) => number): SellerState[] {
  const strips = layout.cameras.length;
  let floorIndex = 0;
  const posts: Point[] = [];
  return sc.sellers.map((s) => {
    const counter = s.post === 'counter';
    let post: Point = layout.counterPost;
    if (!counter) {
      const cam = layout.cameras[floorIndex % strips]!;
      const b = layout.browse;
      const x = cam.x0 + (cam.x1 - cam.x0) * (0.35 + 0.3 * (Math.floor(floorIndex / strips) % 2));
      const front = floorIndex % 2 === 0;
      const y = (f: boolean): number => b.y0 + (b.y1 - b.y0) * (0.5 + 0.25 * (f ? -1 : 1));
      const taken = (p: Point): boolean => posts.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < 1);
      post = [x, y(front)];
      if (taken(post)) post = [x, y(!front)];
      posts.push(post);
      floorIndex++;
    }
    const start = rel(s.start);
    let end = rel(s.end);
    if (end <= start) end += 24 * 3600;
    return { shift: { sellerId: s.id, name: s.name, startLocal: s.start, endLocal: s.end, start, end }, post, counter, tasks: [] };
  });
}

/** Customer arrival times: Poisson per opening hour at that hour's rate, none in the last 5 minutes; sorted. */
function arrivalTimes(sc: Scenario, open: number, close: number, rng: Rng): number[] {
  const arrivals: number[] = [];
  const c = sc.customers;
  for (let h = 0; open + h * 3600 < close; h++) {
    const rate = Array.isArray(c.arrivals_per_hour) ? (c.arrivals_per_hour[h] ?? c.arrivals_per_hour[c.arrivals_per_hour.length - 1]!) : c.arrivals_per_hour;
    const from = open + h * 3600;
    const to = Math.min(from + 3600, close - 300);
    if (to <= from) break;
    const n = rng.poisson((rate * (to - from)) / 3600);
    for (let i = 0; i < n; i++) arrivals.push(rng.uniform(from, to));
  }
  return arrivals.sort((a, b) => a - b);
}

/** One customer: door, browsing stops (a consultation or a brief question at some), maybe the till, door. */
function planVisit(ctx: DayContext, tArr: number, visitId: string): void {
  const { rng } = ctx;
  const c = ctx.sc.customers;
  const speed = rng.uniform(0.8, 1.2);
  const p = pathFrom(tArr, doorPoint(ctx));
  const browse = Math.min(Math.max(rng.logNormal(c.browse_minutes.median * 60, c.browse_minutes.sigma), 30), 3 * 3600);
  const stops = Math.max(1, Math.round(browse / 120));
  const per = browse / stops;
  const consultStops = new Set<number>();
  if (rng.chance(c.consult_probability)) consultStops.add(rng.int(0, stops - 1));
  if (consultStops.size > 0 && stops > 1 && rng.chance(c.second_consult_probability)) consultStops.add(rng.int(0, stops - 1));
  const briefStop = rng.chance(c.brief_question_probability) ? rng.int(0, stops - 1) : -1;
  let consulted = false;
  for (let k = 0; k < stops; k++) {
    const s = freeSpot(ctx, p.at().t, p.at().t + per * 1.3 + c.consult_seconds.max + 60);
    const arrive = p.walk(s, speed);
    let stayEnd = arrive + per * rng.uniform(0.7, 1.3);
    if (consultStops.has(k)) {
      const dur = rng.uniform(c.consult_seconds.min, c.consult_seconds.max);
      const r = reserve(ctx, 'consultation', arrive + rng.uniform(5, 15), dur, s);
      if (r) {
        consulted = true;
        ctx.interactions.push({ kind: 'consultation', sellerId: r.seller.shift.sellerId, visitId, start: r.start, end: r.start + dur });
        stayEnd = Math.max(stayEnd, r.start + dur + rng.uniform(3, 10));
      }
    } else if (k === briefStop) {
      const dur = rng.uniform(5, 10);
      const r = reserve(ctx, 'brief', arrive + rng.uniform(3, 10), dur, s);
      if (r) {
        ctx.interactions.push({ kind: 'brief', sellerId: r.seller.shift.sellerId, visitId, start: r.start, end: r.start + dur });
        stayEnd = Math.max(stayEnd, r.start + dur + rng.uniform(20, 40));
      }
    }
    p.stay(stayEnd);
  }
  if (rng.chance(consulted ? c.buy_probability.consulted : c.buy_probability.unconsulted)) checkout(ctx, p, speed, visitId, consulted);
  p.walk(doorPoint(ctx), speed);
  ctx.persons.push({ label: `customer:${visitId}`, role: 'customer', points: p.points });
  ctx.visits.push({ visitId, start: tArr, end: p.at().t });
}

/** Queue, wait for the till, pay (a receipt from the seller at the till), all on the customer's path. */
function checkout(ctx: DayContext, p: PathBuilder, speed: number, visitId: string, consulted: boolean): void {
  const { rng, layout } = ctx;
  const c = ctx.sc.customers;
  const q = p.walk([layout.queueSpot[0] + rng.uniform(-1, 1), layout.queueSpot[1] + rng.uniform(-0.4, 0.2)], speed);
  const dur = rng.uniform(c.checkout_seconds.min, c.checkout_seconds.max);
  const r = reserveTill(ctx, q + 4, dur);
  if (!r) return;
  p.stay(r.start - 3);
  p.walk(layout.tillSpot, 0.8);
  p.stay(r.start + dur);
  const amt = consulted ? c.amount.consulted : c.amount.unconsulted;
  const total = Math.round(rng.logNormal(amt.median, amt.sigma) * 100) / 100;
  ctx.receipts.push({ receiptId: '', visitId, t: r.start + dur - rng.uniform(0, 3), total, sellerId: r.seller.shift.sellerId });
  ctx.interactions.push({ kind: 'checkout', sellerId: r.seller.shift.sellerId, visitId, start: r.start, end: r.start + dur });
}

const doorPoint = ({ rng, layout }: DayContext): Point => [
  rng.uniform(layout.entrance[0][0], layout.entrance[1][0]),
  rng.uniform(layout.entrance[0][1], layout.entrance[1][1]),
];

/** Walking distance from a seller's post to a meeting point (counter sellers go round through the gate). */
function routeLength({ layout }: DayContext, s: SellerState, to: Point): number {
  return s.counter ? dist(s.post, layout.counterGate) + dist(layout.counterGate, to) : dist(s.post, to);
}

/** When a seller is back at the post after a task. */
function taskBack(ctx: DayContext, s: SellerState, k: Task): number {
  return k.end + (k.kind === 'checkout' ? dist(ctx.layout.tillStation, s.post) : routeLength(ctx, s, k.meet)) / SELLER_SPEED + 1;
}

/** On shift (not in the first minute or last 90 s) and no task overlapping [a, b] with 5 s to spare. */
function isFree(ctx: DayContext, s: SellerState, a: number, b: number): boolean {
  return a >= s.shift.start + 60 && b <= s.shift.end - 90 && s.tasks.every((k) => b + 5 <= k.depart || a >= taskBack(ctx, s, k) + 5);
}

/** A seller for an interaction at `spot` starting at tReq (tries short delays; floor sellers first, nearest first); returns the start. */
function reserve(
  ctx: DayContext,
  kind: 'consultation' | 'brief',
  tReq: number,
  dur: number,
  spot: Point,
): { seller: SellerState; start: number; meet: Point } | null {
  for (const delay of [0, 15, 30, 45, 60]) {
    const t = tReq + delay;
    const order = [...ctx.sellers].sort((a, b) => Number(a.counter) - Number(b.counter) || dist(a.post, spot) - dist(b.post, spot));
    const others = ctx.persons.filter((q) => q.points[0]!.t < t + dur && q.points[q.points.length - 1]!.t > t);
    for (const s of order) {
      const meet = meetPoint(ctx, s.post, spot, others, t, t + dur);
      const walk = routeLength(ctx, s, meet) / SELLER_SPEED + 0.5;
      if (!isFree(ctx, s, t - walk, t + dur + walk)) continue;
      s.tasks.push({ kind, depart: t - walk, end: t + dur, meet });
      return { seller: s, start: t, meet };
    }
  }
  return null;
}

/** The seller stands 0.9 m from the customer, on the side away from other shoppers (never inside a stranger's conversation). */
function meetPoint(ctx: DayContext, post: Point, spot: Point, others: readonly SimPerson[], a: number, b: number): Point {
  const toward = Math.atan2(post[1] - spot[1], post[0] - spot[0]);
  let best: Point = spot;
  let bestScore = -Infinity;
  // Approach from the seller's side (within ±60°), so the seller never walks through the customer.
  for (let k = 0; k < 9; k++) {
    const ang = toward + ((k - 4) * Math.PI) / 12 + ctx.rng.uniform(-0.1, 0.1);
    const m: Point = [spot[0] + 0.9 * Math.cos(ang), spot[1] + 0.9 * Math.sin(ang)];
    let clear = 99;
    for (const q of others)
      for (const t of [a, (a + b) / 2, b])
        if (q.points[0]!.t <= t && t <= q.points[q.points.length - 1]!.t) clear = Math.min(clear, dist(positionAt(q.points, t), m));
    const score = Math.min(clear, 2.5) - 0.1 * Math.abs(Math.cos(ang - toward) - 1);
    if (score > bestScore) [best, bestScore] = [m, score];
  }
  return best;
}

/** The till for `dur` seconds from `from` on (5 s steps, up to 20 min): a counter seller on shift first, else a floor seller. */
function reserveTill(ctx: DayContext, from: number, dur: number): { seller: SellerState; start: number } | null {
  for (let t = from; t < from + 20 * 60; t += 5) {
    if (ctx.tillBusy.some(([a, b]) => t - 3 < b && a < t + dur + 3)) continue;
    const order = [...ctx.sellers].sort((a, b) => Number(b.counter) - Number(a.counter));
    for (const s of order) {
      const walk = dist(s.post, ctx.layout.tillStation) / SELLER_SPEED + 0.5;
      if (!s.counter && order.some((o) => o.counter && o.shift.start <= t && t < o.shift.end)) continue;
      if (!isFree(ctx, s, t - walk, t + dur + walk)) continue;
      s.tasks.push({ kind: 'checkout', depart: t - walk, end: t + dur, meet: ctx.layout.tillStation });
      ctx.tillBusy.push([t, t + dur]);
      return { seller: s, start: t };
    }
  }
  return null;
}

/** Shoppers keep their distance: away from floor posts and from where earlier shoppers stand meanwhile. */
function freeSpot(ctx: DayContext, from: number, to: number): Point {
  const { rng, sellers } = ctx;
  const b = ctx.layout.browse;
  let best: Point = [rng.uniform(b.x0, b.x1), rng.uniform(b.y0, b.y1)];
  let bestClear = -Infinity;
  const others = ctx.persons.filter((q) => q.points[0]!.t < to && q.points[q.points.length - 1]!.t > from);
  for (let i = 0; i < 40; i++) {
    const p: Point = [rng.uniform(b.x0, b.x1), rng.uniform(b.y0, b.y1)];
    let clear = Math.min(...sellers.filter((s) => !s.counter).map((s) => dist(s.post, p) - 0.3), 99);
    for (const s of sellers) for (const k of s.tasks) if (k.kind !== 'checkout' && k.depart < to && k.end > from) clear = Math.min(clear, dist(k.meet, p));
    for (const q of others) {
      const hint = { i: 0 };
      for (let t = Math.max(from, q.points[0]!.t); t <= Math.min(to, q.points[q.points.length - 1]!.t); t += 10)
        clear = Math.min(clear, dist(positionAt(q.points, t, hint), p));
    }
    if (clear > SPACING_M) return p;
    if (clear > bestClear) [best, bestClear] = [p, clear];
  }
  return best;
}

/** Door -> post, idle sway at the post, out to each task and back, door at the end of the shift. */
function sellerPath(s: SellerState, layout: Layout, rng: Rng): Waypoint[] {
  const p = pathFrom(s.shift.start, layout.staffDoor);
  const viaGate = (to: Point): void => {
    if (!s.counter) return;
    p.walk(layout.counterGate, SELLER_SPEED);
    p.walk(to, SELLER_SPEED);
  };
  if (s.counter) p.walk(s.post, SELLER_SPEED);
  else {
    p.walk(layout.counterGate, SELLER_SPEED);
    p.walk(s.post, SELLER_SPEED);
  }
  const idle = (until: number): void => {
    while (p.at().t + 25 < until) {
      p.walk([s.post[0] + rng.uniform(-0.4, 0.4), s.post[1] + rng.uniform(-0.4, 0.4)], 0.4);
      p.stay(Math.min(until, p.at().t + rng.uniform(15, 50)));
    }
    p.stay(until);
  };
  for (const k of [...s.tasks].sort((a, b) => a.depart - b.depart)) {
    idle(k.depart);
    if (k.kind === 'checkout') {
      p.walk(k.meet, SELLER_SPEED);
      p.stay(k.end);
      p.walk(s.post, SELLER_SPEED);
    } else {
      if (s.counter) viaGate(k.meet);
      else p.walk(k.meet, SELLER_SPEED);
      p.stay(k.end);
      if (s.counter) {
        p.walk(layout.counterGate, SELLER_SPEED);
        p.walk(s.post, SELLER_SPEED);
      } else p.walk(s.post, SELLER_SPEED);
    }
  }
  idle(s.shift.end - 30);
  if (!s.counter) p.walk(layout.counterGate, SELLER_SPEED);
  p.walk(layout.staffDoor, SELLER_SPEED);
  return p.points;
}
