/**
 * Class names to a keep-mask over the model's class indices, so decoders test one byte per box.
 */
import { MisuseError } from '../core/errors.js';

/** mask[c] = 1 when class c is wanted. Unknown names are a misuse error listing the valid ones. */
export function classMask(classNames: readonly string[], wanted: readonly string[]): Uint8Array {
  if (wanted.length === 0) throw new MisuseError('FS_BAD_ARGUMENT', 'classes: give at least one class name');
  const mask = new Uint8Array(classNames.length);
  const unknown: string[] = [];
  for (const w of wanted) {
    const i = classNames.indexOf(w);
    if (i < 0) unknown.push(w);
    else mask[i] = 1;
  }
  if (unknown.length > 0) {
    const shown = classNames.length > 20 ? `${classNames.slice(0, 20).join(', ')}, ... (${classNames.length} in all)` : classNames.join(', ');
    throw new MisuseError('FS_BAD_ARGUMENT', `classes: ${unknown.map((u) => `"${u}"`).join(', ')} not in the model's classes: ${shown}`, {
      unknown,
      classes: classNames,
    });
  }
  return mask;
}

/** Placeholder names for a model outside the manifest whose classes are not known. */
export function indexClassNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `class${i}`);
}
