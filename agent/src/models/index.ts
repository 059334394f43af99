/** Model manifest and verified model lookup. */
export type { TrackerThresholds, ManifestEntry, ModelManifest, ModelInputSpec, ModelOutputSpec, OutputFormat } from './manifest-schema.js';
export { manifestSchema, OUTPUT_FORMATS } from './manifest-schema.js';
export { loadManifest, parseManifest, findEntry, findEntryByFile } from './manifest.js';
export { defaultModelsDir, defaultManifestPath, findRepoRoot } from './paths.js';
export { resolveModel, type ResolvedModel, type ResolveOptions } from './resolve.js';
export { sha256File } from './sha256.js';
export {
  anchorCount,
  defaultModelCacheDir,
  deriveModelInput,
  fittedInput,
  parseSize,
  sizeProblem,
  type DerivedModel,
  type DeriveOptions,
  type InputSize,
} from './derive.js';
