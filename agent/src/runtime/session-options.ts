/**
 * onnxruntime session options as plain data, shared by the in-thread session (onnx.ts) and the
 * worker one (worker-session.ts). Type-only use of onnxruntime-node: no runtime import here.
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { ProviderName, SessionOptions } from './session-types.js';

/** Providers to try, in order; cpu is always the last resort. */
export function providerOrder(opts: SessionOptions): ProviderName[] {
  const order = [...(opts.providers ?? ['cpu'])];
  if (!order.includes('cpu')) order.push('cpu');
  return order;
}

/** onnxruntime session options for one provider (tested as data). */
export function sessionOptionsFor(provider: ProviderName, opts: SessionOptions): InferenceSession.SessionOptions {
  const spinning = opts.spinning ?? true;
  return {
    executionProviders: [provider],
    graphOptimizationLevel: opts.graphOptimization ?? 'all',
    ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
    ...(opts.optimizedModelPath ? { optimizedModelFilePath: opts.optimizedModelPath } : {}),
    // Session config entries: onnxruntime-node flattens this to "session.intra_op.allow_spinning".
    ...(spinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  };
}

/** The useful part of an onnxruntime error message. */
export function reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const first = text.split('\n')[0] ?? '';
  // Provider errors start with a long source location ("/onnxruntime_src/...cc:136 ... was false. <reason>").
  const m = /was false\.\s*(.+)$/.exec(first);
  return (m?.[1] ?? first).trim();
}

export function providerWarning(provider: ProviderName, modelPath: string, e: unknown): string {
  return `execution provider ${provider} unavailable for ${modelPath} (${reason(e)}); falling back`;
}
