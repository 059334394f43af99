/** Track ids come from an injected counter (habit 6): one per tracker, never a module global. */
export type IdSource = () => number;

/** Sequential ids start, start+1, ... */
export function createIdCounter(start = 1): IdSource {
  let next = start;
  return () => next++;
}
