/** Options every decoder takes. */
export interface DecodeOptions {
  /** Keep boxes whose score is at least this. */
  readonly confThreshold: number;
  /** Keep only classes c with mask[c] = 1; all classes when absent. */
  readonly classMask?: Uint8Array | undefined;
}
