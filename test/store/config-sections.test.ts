import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../agent/src/config/load.js';

describe('storage and sync config sections', () => {
  it('a config without them is valid and gets the defaults', () => {
    const cfg = parseConfigText('store: {id: s1}');
    expect(cfg.storage).toEqual({
      path: 'data/floorsense.db',
      retention_days: 3,
      kpi_retention_days: 400,
      retention_cron: '7 * * * *',
      delete_batch_rows: 20_000,
      min_free_disk_mb: 1024,
      outbox_max_rows: 1_000_000,
      integrity_check: 'quick',
    });
    expect(cfg.sync).toMatchObject({ database: 'floorsense', batch_rows: 2000, backoff_min_s: 5, backoff_max_s: 900 });
    expect(cfg.sync.url).toBeUndefined();
  });

  const cases: Array<[string, string, RegExp]> = [
    ['retention over the design limit', 'storage: {retention_days: 7}', /storage\.retention_days: .*<=3/],
    ['bad cron', 'storage: {retention_cron: "every hour"}', /storage\.retention_cron: not a cron expression/],
    ['unknown storage key', 'storage: {vacuum: full}', /storage\.vacuum: unknown key/],
    ['url without http', 'sync: {url: "ftp://ch:21"}', /sync\.url: /],
    ['database name with a dash', 'sync: {database: floor-sense}', /sync\.database: letters, digits and _ only/],
    ['backoff min above max', 'sync: {backoff_min_s: 100, backoff_max_s: 10}', /sync\.backoff_min_s: backoff_min_s must not exceed backoff_max_s/],
  ];
  it.each(cases)('%s', (_n, text, err) => {
    expect(() => parseConfigText(`store: {id: s1}\n${text}`)).toThrow(err);
  });
});
