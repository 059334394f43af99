/**
 * The zones and floor homography of each camera as the running agent holds them: loaded from the
 * config at start, replaced when the Technician page saves a camera's calibration. A save goes
 * through config/edit.ts (validated, `<file>.bak`, written), then the camera's zones here and the
 * roll-up's cameras (rollup-worker-client.ts setCameras) are swapped, so the next snapshot,
 * calibration view and day analysis use the new zones without restarting the agent.
 */
import type { CalibrationSetup } from '../api/provider.js';
import type { CameraConfig, Config } from '../config/schema.js';
import { writeCameraCalibration } from '../config/edit.js';
import { MisuseError } from '../core/errors.js';

export function setupOf(cam: CameraConfig): CalibrationSetup {
  return {
    zones: cam.zones.map((z) => ({ name: z.name, kind: z.kind, polygon: z.polygon })),
    floor: cam.floor ? { image: cam.floor.image, world: cam.floor.world } : null,
  };
}

export class Calibrations {
  #cameras: Config['cameras'];

  constructor(
    cfg: Readonly<Config>,
    /** The file `floorsense run` loaded; null: nothing to write back to (saves are refused). */
    readonly configPath: string | null,
    private readonly onChange: (cameras: Config['cameras']) => void = () => undefined,
  ) {
    this.#cameras = cfg.cameras;
  }

  get cameras(): Config['cameras'] {
    return this.#cameras;
  }

  get(cameraId: string): CalibrationSetup | undefined {
    const cam = this.#cameras.find((c) => c.id === cameraId);
    return cam ? setupOf(cam) : undefined;
  }

  /**
   * Validate and write `body` ({ zones, floor }) as the camera's calibration; `picture`: its source
   * size, for the bounds check. Refusals are MisuseError(FS_CONFIG_INVALID) with key-path issues.
   */
  save(cameraId: string, body: unknown, picture?: { width: number; height: number }): { path: string; backup: string } {
    if (this.configPath === null) {
      const why = 'the agent was started without a config file to write back to (floorsense run --config FILE); edit the YAML and restart instead';
      throw new MisuseError('FS_CONFIG_INVALID', why, { issues: [why] });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new MisuseError('FS_CONFIG_INVALID', 'calibration: expected a JSON object { zones, floor }', {
        issues: ['(body): expected an object { zones, floor }'],
      });
    const extra = Object.keys(body).filter((k) => k !== 'zones' && k !== 'floor');
    if (extra.length > 0)
      throw new MisuseError('FS_CONFIG_INVALID', `calibration: unknown key(s) ${extra.join(', ')}`, {
        issues: extra.map((k) => `${k}: unknown key (only zones, floor)`),
      });
    const b = body as { zones?: unknown; floor?: unknown };
    // A key left out keeps what the camera has (a script may send only the floor); null removes the floor.
    const current = this.get(cameraId);
    const written = writeCameraCalibration(
      this.configPath,
      cameraId,
      { zones: 'zones' in b ? b.zones : (current?.zones ?? []), floor: 'floor' in b ? b.floor : (current?.floor ?? null) },
      picture,
    );
    // Only this camera's zones and floor change in the running agent; its other settings (URL,
    // sampling) and every other section need a restart, as before.
    this.#cameras = this.#cameras.map((c) => (c.id === cameraId ? { ...c, zones: written.camera.zones, floor: written.camera.floor } : c));
    this.onChange(this.#cameras);
    return { path: this.configPath, backup: written.backup };
  }
}
