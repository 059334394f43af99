/**
 * The answers file of `floorsense setup --answers FILE` (YAML or JSON): what a technician would
 * type, for installing many stores from a script. Keys mirror the config's (store.*, cameras[i].*,
 * sync.*) so an error names the same path in both; a failure at setup names the answer key.
 * Credentials may come from a file (sync.password_file) so the answers file can be shared.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FailureError, MisuseError } from '../core/errors.js';
import { formatKeyPath } from '../config/load.js';
import { zoneSection } from '../config/sections/zones.js';

export const answersSchema = z
  .strictObject({
    lang: z.enum(['ru', 'en']).optional().describe('Language of the messages (overridden by --lang).'),
    store: z
      .strictObject({
        id: z.string().describe('store.id of the config.'),
        timezone: z.string().optional().describe('IANA time zone; default: the existing config, else this box.'),
        locale: z.enum(['ru', 'en']).optional().describe('Dashboard language; default: the existing config, else the setup language.'),
        currency: z.string().optional().describe('ISO 4217 code; empty for none.'),
      })
      .describe('The store.'),
    cameras: z
      .array(
        z.strictObject({
          id: z.string().describe('Camera id.'),
          url: z.string().min(1).describe('rtsp:// URL or an archive folder (relative to the answers file).'),
          username: z.string().optional().describe('Camera user, when the URL carries no credentials.'),
          password: z.string().optional().describe('Camera password, with username.'),
          detect_url: z
            .string()
            .min(1)
            .optional()
            .describe('"auto" (default): probe the usual substream URLs when the main stream is 1080p or more; "none": detect on the main stream; or a URL.'),
          enabled: z.boolean().optional(),
          zones: z.array(zoneSection).optional().describe('Zones in source pixels; absent: the existing config keeps its zones for this camera id.'),
        }),
      )
      .min(1)
      .describe('Cameras, in order.'),
    sync: z
      .strictObject({
        url: z.string().optional().describe('ClickHouse HTTP URL; absent or empty: sync off.'),
        database: z.string().optional(),
        username: z.string().optional(),
        password: z.string().optional(),
        password_file: z.string().optional().describe('File holding the password (one line); relative to the answers file.'),
      })
      .refine((s) => s.password === undefined || s.password_file === undefined, { message: 'give password or password_file, not both', path: ['password'] })
      .optional(),
    schedule: z.strictObject({ source: z.string().optional().describe('Schedule CSV path or URL; empty: none.') }).optional(),
    storage: z.strictObject({ path: z.string().optional().describe('SQLite database file.') }).optional(),
    api: z
      .strictObject({ port: z.int().min(0).max(65_535).optional().describe('Port of the local API and dashboard (config api.port; default 8787).') })
      .optional(),
    allow_unreachable: z.boolean().optional().describe('Write a camera that does not answer (with a warning) instead of failing.'),
  })
  .describe('Answers for a scripted `floorsense setup`.');

export type Answers = z.infer<typeof answersSchema>;

export function loadAnswers(path: string): Answers {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError('FS_FILE_NOT_FOUND', `answers file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path }, { cause: e });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new MisuseError('FS_CONFIG_INVALID', `answers file ${path} is not valid YAML/JSON: ${(e as Error).message}`, { path }, { cause: e });
  }
  const res = answersSchema.safeParse(raw ?? {});
  if (!res.success) {
    const lines = res.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? i.keys.map((k) => `${formatKeyPath([...i.path, k])}: unknown key`).join('; ') : `${formatKeyPath(i.path)}: ${i.message}`,
    );
    throw new MisuseError('FS_CONFIG_INVALID', `answers file ${path} is invalid:\n  ${lines.join('\n  ')}`, { issues: lines });
  }
  return res.data;
}
