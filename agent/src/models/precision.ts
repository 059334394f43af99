/**
 * Numeric precisions a model can run at: the file as shipped, or the static int8 model derived from
 * it (quantize.ts). Its own module, free of imports, because the config schema needs the list and
 * quantize.ts needs the config's key-path formatting.
 */
export const PRECISIONS = ['fp32', 'int8'] as const;
export type Precision = (typeof PRECISIONS)[number];
