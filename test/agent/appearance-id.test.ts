/**
 * The identity stored with each track's embedding names the embedding space: the ReID model's
 * file (its hash) and, when tracker.reid_input is not the model's own crop, that crop. A store day
 * is stitched in one space only (store/appearance.ts), so a crop change never mixes vectors.
 */
import { describe, expect, it } from 'vitest';
import { appearanceModelId } from '../../agent/src/agent/results-store.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

describe.skipIf(!haveData('models/osnet_x0_25_msmt17.onnx'))('appearance model identity', () => {
  const models = dataPath('models');
  it('is name@sha for the native crop, and adds the crop when it is smaller', async () => {
    const native = await appearanceModelId('osnet_x0_25_msmt17', models);
    expect(native).toMatch(/^osnet_x0_25_msmt17@[0-9a-f]{16}$/);
    expect(await appearanceModelId('osnet_x0_25_msmt17', models, undefined, '256x128')).toBe(native);
    expect(await appearanceModelId('osnet_x0_25_msmt17', models, undefined, '128x64')).toBe(`${native}:128x64`);
    expect(await appearanceModelId('osnet_x0_25_msmt17', models, undefined, '160x80')).not.toBe(`${native}:128x64`);
  });
});
