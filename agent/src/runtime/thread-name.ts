/**
 * Name the calling OS thread (Linux: /proc/thread-self/comm, at most 15 bytes), so `top -H`, `ps -L`
 * and the CPU bench (agent/bench/cpu.ts) tell the agent's worker threads apart: Node 20 leaves every
 * thread named `node`. Threads the named one starts afterwards (onnxruntime's intra-op pool) inherit
 * the name. Elsewhere, or where /proc is read-only, it does nothing: a name is only a label.
 */
import { writeFileSync } from 'node:fs';

/** The name as the kernel keeps it: 15 bytes of printable ASCII. */
export function threadNameOf(name: string): string {
  return name.replace(/[^\x21-\x7e]/g, '_').slice(0, 15);
}

export function nameThread(name: string): void {
  try {
    writeFileSync('/proc/thread-self/comm', threadNameOf(name));
  } catch {
    // Not Linux, or no /proc: the thread keeps its name.
  }
}

/** `ort:<model file's base name>`: the onnxruntime worker's name for the model it serves. */
export function ortThreadName(modelPath: string): string {
  const base = modelPath.split(/[\\/]/).pop() ?? modelPath;
  return threadNameOf(`ort:${base.replace(/\.onnx$/, '')}`);
}
