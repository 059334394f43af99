/**
 * Numeric precisions a model can run at: the file as shipped, or the static int8 model derived from
 * it (quantize.ts). Its own module, free of imports from the rest of the tree, because the config
 * schema needs the list and quantize.ts needs the config's key-path formatting.
 *
 * `detector.precision: auto` (the default) picks int8 only where it was measured to pay: the CPU
 * provider on an x86 CPU with VNNI int8 dot-product instructions (AVX512-VNNI or AVX-VNNI), where
 * onnxruntime's QLinearConv kernels run the mixed-precision YOLOv8n at 0.62-0.70 of fp32's CPU with
 * the same recall on the labelled set (README "Detector precision"). Elsewhere fp32: a GPU provider
 * runs the float graph (the int8 one is unmeasured there), and a CPU without VNNI (AVX2-only x86, an
 * arm64 Jetson) has not been measured, so int8 is not assumed to pay on it.
 */
import { readFileSync } from 'node:fs';
import { arch } from 'node:os';

export const PRECISIONS = ['fp32', 'int8'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** What the config may say: a precision, or auto (int8 where measured to pay, else fp32). */
export const PRECISION_SETTINGS = ['auto', ...PRECISIONS] as const;
export type PrecisionSetting = (typeof PRECISION_SETTINGS)[number];

/** The CPU facts the choice reads: the architecture and the feature flags (/proc/cpuinfo). */
export interface CpuFacts {
  readonly arch: string;
  readonly flags: ReadonlySet<string>;
}

/** The precision that runs, and why (doctor's input row and the start-up log say it). */
export interface ResolvedPrecision {
  readonly precision: Precision;
  readonly why: string;
}

const VNNI_FLAGS = [
  ['avx512_vnni', 'AVX512-VNNI'],
  ['avx_vnni', 'AVX-VNNI'],
] as const;

let hostFacts: CpuFacts | undefined;

/** This machine's CPU facts, read once (no flags where /proc/cpuinfo cannot be read). */
export function hostCpu(): CpuFacts {
  if (hostFacts) return hostFacts;
  let flags = new Set<string>();
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => /^(flags|Features)\s*:/.test(l));
    if (line)
      flags = new Set(
        line
          .slice(line.indexOf(':') + 1)
          .trim()
          .split(/\s+/),
      );
  } catch {
    // Not Linux, or no procfs: no flags, so auto stays fp32.
  }
  hostFacts = Object.freeze({ arch: arch(), flags });
  return hostFacts;
}

/**
 * `setting` for a model run on `providers` (in order of preference) on a CPU with `cpu`'s facts;
 * `int8Variant`: the model has a calibrated int8 variant (its manifest entry's `int8`), without
 * which auto means the file as shipped.
 */
export function resolvePrecision(setting: PrecisionSetting, providers: readonly string[], int8Variant: boolean, cpu: CpuFacts = hostCpu()): ResolvedPrecision {
  if (setting !== 'auto') return { precision: setting, why: 'set in the config' };
  if (!int8Variant) return { precision: 'fp32', why: 'auto: the model has no calibrated int8 variant' };
  const first = providers[0] ?? 'cpu';
  if (first !== 'cpu') return { precision: 'fp32', why: `auto: the ${first} provider runs the float model` };
  const vnni = VNNI_FLAGS.find(([flag]) => cpu.flags.has(flag));
  if ((cpu.arch === 'x64' || cpu.arch === 'ia32') && vnni) return { precision: 'int8', why: `auto: ${vnni[1]} CPU` };
  return { precision: 'fp32', why: `auto: no VNNI int8 instructions on this ${cpu.arch} CPU (int8 was measured only with them)` };
}
