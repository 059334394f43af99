import { z } from 'zod';

export const ZONE_KINDS = ['staff', 'floor', 'till', 'entrance'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

const pixelPoint = z.tuple([z.number().finite(), z.number().finite()]).describe('[x, y] in pixels of the camera image (origin top-left).');
const worldPoint = z.tuple([z.number().finite(), z.number().finite()]).describe('[X, Y] in metres on the store floor plan shared by all cameras.');

export const zoneSection = z
  .strictObject({
    name: z.string().min(1).max(64).describe('Zone name; sellers can be assigned to zones by name (analytics.sellers).'),
    kind: z
      .enum(ZONE_KINDS)
      .describe(
        'staff = staff-only area (behind the counter); floor = sales floor; till = where customers stand to pay; entrance = where people enter and leave.',
      ),
    polygon: z
      .array(pixelPoint)
      .min(3)
      .describe(
        'Polygon in image pixels; a person is in the zone when the bottom centre of the box (the feet) is inside. The first listed zone containing the feet wins, so list small zones before broad ones.',
      ),
  })
  .describe('A named zone of one camera image.');

export const floorSection = z
  .strictObject({
    image: z.array(pixelPoint).min(4).describe('Four or more floor points in the image (pixels), no three on a line.'),
    world: z
      .array(worldPoint)
      .min(4)
      .describe(
        'The same points on the store floor plan (metres), in the same order. Use one floor plan for all cameras so people can be followed from camera to camera.',
      ),
  })
  .describe('Image-to-floor homography from point pairs (least squares). Without it, distances are pixels scaled by person height.');
