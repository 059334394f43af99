/**
 * detector.precision auto: int8 only where it was measured to pay (the cpu provider first, an x86
 * CPU with VNNI, a model with a calibrated int8 variant), and the tracker's score thresholds follow
 * the precision that runs. Pure over injected CPU facts, plus this host's own choice through the
 * real config path (the manifest and /proc/cpuinfo).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectorPrecision } from '../../agent/src/agent/analyze-options.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { detectorSettings } from '../../agent/src/detect/options.js';
import { type CpuFacts, hostCpu, resolvePrecision } from '../../agent/src/models/precision.js';
import { cameraAnalyzeBase } from '../../agent/src/agent/analyze-options.js';
import { modelThresholds } from '../../agent/src/track/options.js';

const cpu = (arch: string, ...flags: string[]): CpuFacts => ({ arch, flags: new Set(flags) });
const XEON_VNNI = cpu('x64', 'avx2', 'avx512f', 'avx512_vnni');

describe('resolvePrecision', () => {
  it('auto picks int8 on a VNNI x86 CPU with the cpu provider and a calibrated variant', () => {
    expect(resolvePrecision('auto', ['cpu'], true, XEON_VNNI)).toEqual({ precision: 'int8', why: 'auto: AVX512-VNNI CPU' });
    expect(resolvePrecision('auto', ['cpu'], true, cpu('x64', 'avx2', 'avx_vnni')).why).toBe('auto: AVX-VNNI CPU');
  });

  it('auto stays fp32 where int8 was not measured: no VNNI, arm64, a GPU provider first, no int8 variant', () => {
    expect(resolvePrecision('auto', ['cpu'], true, cpu('x64', 'avx2', 'fma')).precision).toBe('fp32');
    // A Jetson's Cortex-A78AE has int8 dot products (asimddp), but nothing was measured there.
    expect(resolvePrecision('auto', ['cpu'], true, cpu('arm64', 'asimd', 'asimddp')).precision).toBe('fp32');
    const gpu = resolvePrecision('auto', ['webgpu', 'cpu'], true, XEON_VNNI);
    expect(gpu).toEqual({ precision: 'fp32', why: 'auto: the webgpu provider runs the float model' });
    expect(resolvePrecision('auto', ['cpu'], false, XEON_VNNI).why).toBe('auto: the model has no calibrated int8 variant');
  });

  it('a precision set in the config is kept whatever the host', () => {
    expect(resolvePrecision('int8', ['webgpu'], false, cpu('arm64')).precision).toBe('int8');
    expect(resolvePrecision('fp32', ['cpu'], true, XEON_VNNI).precision).toBe('fp32');
  });
});

describe('detector.precision auto through the config', () => {
  const flags = readFileSync('/proc/cpuinfo', 'utf8');
  const vnni = process.arch === 'x64' && /\b(avx512_vnni|avx_vnni)\b/.test(flags);
  const cfg = (detector: Record<string, unknown>) =>
    validateConfig({ store: { id: 's', timezone: 'UTC' }, cameras: [{ id: 'c', url: 'rtsp://127.0.0.1:1/x' }], detector });

  it(`this host (${vnni ? 'VNNI' : 'no VNNI'}): the detector and the tracker thresholds read the same choice`, () => {
    expect(hostCpu().flags.has('avx512_vnni') || hostCpu().flags.has('avx_vnni')).toBe(vnni);
    const c = cfg({ model: 'yolov8n_fp32', precision: 'auto' });
    const want = vnni ? 'int8' : 'fp32';
    expect(detectorPrecision(c)).toBe(want);
    expect(detectorSettings({ model: 'yolov8n_fp32', precision: 'auto' }).precision).toBe(want);
    const th = modelThresholds('yolov8n_fp32', want);
    const base = cameraAnalyzeBase(c, c.cameras[0]!);
    expect(base.tracker.highThreshold).toBe(th.high);
    expect(base.tracker.newTrackThreshold).toBe(th.newTrack);
  });

  it('a model without an int8 variant (the shipped dynamic yolov8n_int8, yolox_nano) runs as shipped under auto', () => {
    expect(detectorPrecision(cfg({ model: 'yolov8n_int8', precision: 'auto' }))).toBe('fp32');
    expect(detectorPrecision(cfg({ model: 'yolox_nano', precision: 'auto' }))).toBe('fp32');
  });

  it('the config default is auto', () => {
    expect(cfg({}).detector.precision).toBe('auto');
    expect(() => cfg({ precision: 'fp16' })).toThrow(/detector\.precision/);
  });
});
