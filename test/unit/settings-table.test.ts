import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_PATH, REGENERATE_HINT, withSettingsTable } from '../../scripts/generate-settings-table.js';
import { allSettings, VENDOR_SETTINGS } from '../../src/config/settings.js';

describe('settings table', () => {
  it("matches the README's Configuration table", () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(withSettingsTable(readme) === readme, `README.md's settings table is stale: ${REGENERATE_HINT}`).toBe(true);
  });

  it('gives every setting one row: no variable or file path twice, and each row reachable from one of them', () => {
    const rows = allSettings(VENDOR_SETTINGS);
    const envs = rows.flatMap((row) => (row.env === undefined ? [] : [row.env]));
    const files = rows.flatMap((row) => (row.file === undefined ? [] : [row.file]));
    expect(new Set(envs).size).toBe(envs.length);
    expect(new Set(files).size).toBe(files.length);
    expect(rows.filter((row) => row.env === undefined && row.file === undefined)).toEqual([]);
    // OpenTelemetry's own variables keep their standard names (src/tracing/tracing-settings.ts).
    expect(envs.filter((name) => !/^(?:INTERLINK|OTEL)_[A-Z0-9_]+$/.test(name))).toEqual([]);
  });

  it('says where a table without its markers must change', () => {
    expect(() => withSettingsTable('# no markers here')).toThrow(/settings:start/);
  });
});
