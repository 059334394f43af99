/**
 * What the simulated-day benches share (analytics-accuracy, analytics-trace, analytics-faults): a
 * numeric flag, the day for a seed with the benches' options, that day through the store pipeline
 * as `report` runs it, and a clock relative to the day's start for printing.
 */
import type { DoorRule, MotionSides, MotionSpan, SwitchTuning } from '../src/scene/switches.js';
import { analyzeStoreDay, cameraSceneFromConfig, type StoreDayInput, type StoreDayResult } from '../src/metrics/store-day.js';
import { simulateDay, type SimulatedDay } from '../src/sim/simulate.js';
import { variedScenario, type VariedOptions } from '../src/sim/varied.js';

/** `--name N` from the command line, else `dflt`. */
export const numberArg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

/**
 * The switch resolver's overrides named on the command line: --door-rule R, --noise-z Z,
 * --motion-span first|run, --motion-sides before|either|both (scene/switches.ts); none = its defaults.
 */
export function switchTuningArgs(): SwitchTuning {
  const at = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  const [doorRule, noiseZ, motionSpan, motionSides] = ['--door-rule', '--noise-z', '--motion-span', '--motion-sides'].map(at);
  return {
    ...(doorRule ? { doorRule: doorRule as DoorRule } : {}),
    ...(noiseZ !== undefined ? { noiseZ: Number(noiseZ) } : {}),
    ...(motionSpan ? { motionSpan: motionSpan as MotionSpan } : {}),
    ...(motionSides ? { motionSides: motionSides as MotionSides } : {}),
  };
}

/** The options of --fps F (stride round(25 / F): the simulated cameras run at 25 fps), --noise X and --id-reuse P. */
export function simOptions(o: { readonly fps?: number; readonly noise?: number; readonly idReuse?: number }): VariedOptions {
  return {
    ...(o.idReuse !== undefined ? { idReuse: o.idReuse } : {}),
    noiseScale: o.noise ?? 1,
    ...(o.fps !== undefined && o.fps > 0 ? { stride: Math.round(25 / o.fps) } : {}),
  };
}

/** The varied scenario of `seed`, simulated. */
export function simulatedDay(seed: number, o: VariedOptions): SimulatedDay {
  return simulateDay(variedScenario(seed, o), seed);
}

/** The day's tracks, receipts and shifts through the store analytics (the role method and the switch resolver's tunables can be overridden). */
export function analyzeSimulatedDay(
  d: SimulatedDay,
  o: { readonly method?: 'default' | 'longest'; readonly switchTuning?: StoreDayInput['switchTuning'] } = {},
): StoreDayResult {
  const a = d.config.analytics;
  return analyzeStoreDay({
    storeId: d.config.store.id,
    timeZone: d.config.store.timezone,
    date: d.scenario.date,
    cameras: d.config.cameras.map(cameraSceneFromConfig),
    analytics: o.method ? { ...a, roles: { ...a.roles, method: o.method } } : a,
    tracks: d.streams,
    receipts: d.receipts,
    shifts: d.shifts,
    ...(o.switchTuning ? { switchTuning: o.switchTuning } : {}),
  });
}

/** hh:mm:ss since `t0` (the simulated day's start). */
export function dayClock(t0: number): (ms: number) => string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (ms) => {
    const s = Math.round((ms - t0) / 1000);
    return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  };
}
