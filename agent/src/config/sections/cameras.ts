import { z } from 'zod';
import { regionsSection } from './detector.js';
import { samplingSection } from './sampling.js';
import { displayName, isLiveUrl } from '../../ingest/source-url.js';
import { fitHomography } from '../../scene/homography.js';
import { floorSection, zoneSection } from './zones.js';

export const cameraSection = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
      .describe('Camera id, used in file names and records.'),
    url: z.string().min(1).describe('rtsp://… URL of a live camera, or a path to a video file / folder of archive exports.'),
    detect_url: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Optional substream of the same camera (rtsp://…, e.g. 640x360) decoded for detection instead of `url`; boxes are mapped onto the main stream's pixels, where zones and the floor homography are drawn. A substream of another shape (704x576 of a 16:9 camera) is stretched back to the main picture's shape; one more than 2x off is refused.",
      ),
    enabled: z.boolean().default(true).describe('Disabled cameras are kept in config but not read.'),
    sampling: samplingSection.optional().describe('Per-camera override of the top-level sampling.'),
    regions: regionsSection
      .optional()
      .describe(
        "Per-camera override of detector.regions (keys not given take their built-in defaults, not detector.regions'): e.g. {mode: tiles} for one wide camera whose far people are under ~100 px at 1080p, without tiling the store's other cameras.",
      ),
    rtsp_timeout_s: z
      .number()
      .positive()
      .max(600)
      .default(10)
      .describe(
        'Socket timeout for RTSP reads, seconds. A camera that was delivering is restarted as stalled after this long without a frame plus its usual gap between frames (at most agent.watchdog_s).',
      ),
    zones: z.array(zoneSection).default([]).describe('Zones of this camera image (staff, floor, till, entrance).'),
    floor: floorSection.optional().describe('Optional image-to-floor homography (metres).'),
    hfov_deg: z
      .number()
      .min(10)
      .max(170)
      .optional()
      .describe(
        'Horizontal field of view of the lens (degrees, from the camera spec); scales depth in the pixel fallback when there is no floor homography. Default 90.',
      ),
  })
  .superRefine(function detectUrlBesideALiveStream(cam, ctx) {
    if (cam.detect_url === undefined) return;
    if (!isLiveUrl(cam.detect_url))
      ctx.addIssue({
        code: 'custom',
        path: ['detect_url'],
        message: `camera "${cam.id}": detect_url must be a camera stream URL (rtsp://…), got "${displayName(cam.detect_url)}"`,
      });
    else if (!isLiveUrl(cam.url))
      ctx.addIssue({
        code: 'custom',
        path: ['detect_url'],
        message: `camera "${cam.id}": detect_url is for live cameras; url "${displayName(cam.url)}" is an archive folder or file (exports carry one stream)`,
      });
  })
  .superRefine(function uniqueZoneNames(cam, ctx) {
    const seen = new Set<string>();
    cam.zones.forEach((zn, i) => {
      if (seen.has(zn.name)) ctx.addIssue({ code: 'custom', path: ['zones', i, 'name'], message: `duplicate zone name "${zn.name}" in camera "${cam.id}"` });
      seen.add(zn.name);
    });
  })
  .superRefine(function floorPointsFitAHomography(cam, ctx) {
    if (!cam.floor) return;
    try {
      fitHomography(cam.floor.image, cam.floor.world);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['floor'], message: (e as Error).message });
    }
  })
  .describe('One camera or archive source.');

export const camerasSection = z
  .array(cameraSection)
  .default([])
  .superRefine(function uniqueCameraIds(cams, ctx) {
    const seen = new Map<string, number>();
    cams.forEach((c, i) => {
      const prev = seen.get(c.id);
      if (prev !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate camera id "${c.id}" (also cameras[${prev}])` });
      seen.set(c.id, i);
    });
  })
  .describe('Cameras (live RTSP) and archive sources.');
