/**
 * Writes the README's settings table from the settings table in code (src/config/settings.ts and
 * each vendor's src/upstreams/<vendor>/settings.ts), between the `settings:start` and
 * `settings:end` marker comments, so the two cannot drift apart.
 *
 *   npm run docs:settings
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Setting } from '../src/config/setting.js';
import { allSettings, VENDOR_SETTINGS } from '../src/config/settings.js';
import type { VendorSettings } from '../src/upstreams/vendor-settings.js';

export const README_PATH = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'README.md');
export const REGENERATE_HINT = 'run `npm run docs:settings` to rewrite it from src/config/settings.ts';

const START = '<!-- settings:start -->';
const END = '<!-- settings:end -->';

/** The Markdown table, one line per setting. */
export function settingsTable(vendors: readonly VendorSettings[] = VENDOR_SETTINGS): string {
  const lines = ['| Setting | In the file | Default | What it is |', '| --- | --- | --- | --- |'];
  for (const row of allSettings(vendors)) {
    lines.push(`| ${code(row.env)} | ${code(row.file)} | ${shownDefault(row)} | ${cell(describe(row))} |`);
  }
  return lines.join('\n');
}

/** `readme` with the text between the markers replaced by the table; throws when a marker is missing. */
export function withSettingsTable(readme: string, table = settingsTable()): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md needs ${START} and ${END} around the settings table`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

function shownDefault(row: Setting<unknown>): string {
  if (row.shownDefault !== undefined) return cell(row.shownDefault);
  return row.default === undefined ? 'none' : code(String(row.default));
}

function describe(row: Setting<unknown>): string {
  return row.parser.secret === true ? `${row.description} Secret: messages show only its length.` : row.description;
}

/** A value in code style; a dash where the setting has no such source. */
function code(text: string | undefined): string {
  return text === undefined ? '—' : `\`${text}\``;
}

/** A pipe would end the cell early. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function main(): void {
  const readme = readFileSync(README_PATH, 'utf8');
  const next = withSettingsTable(readme);
  if (next === readme) {
    process.stdout.write('README.md settings table is up to date\n');
    return;
  }
  writeFileSync(README_PATH, next);
  process.stdout.write('README.md settings table rewritten\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
