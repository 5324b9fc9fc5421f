/**
 * Headless Debian Chromium driven by playwright-core, for end-to-end tests of pages the gateway
 * serves. Nothing is downloaded: the browser is the system's /usr/bin/chromium (`.ci/run` installs
 * it; CHROMIUM_PATH overrides). Every request the page and its workers make is recorded, and one
 * that would leave this machine is aborted and listed in `offsiteRequests`, which a test asserts
 * empty: the gateway's pages must work with no network beyond localhost.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');

/** Flags from the machine notes: no sandbox as root in CI, and none of Chromium's own calls home. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Schemes that never touch the network. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:', 'chrome-error:']);

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  /** Every URL requested, in order, including workers' and aborted ones. */
  requests: string[];
  /** Requests to anything but localhost; each was aborted. */
  offsiteRequests: string[];
  /** console.error output, uncaught page errors and CSP violations. */
  errors: string[];
  /** Saves a full-page PNG as test-artifacts/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export function isLocalUrl(url: string): boolean {
  const parsed = new URL(url);
  return LOCAL_SCHEMES.has(parsed.protocol) || LOCAL_HOSTS.has(parsed.hostname);
}

export async function openBrowser(): Promise<BrowserSession> {
  // A fresh, empty profile per session: no cached pages, no stored GraphiQL tabs or headers.
  const userDataDir = mkdtempSync(join(tmpdir(), 'interlink-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  const requests: string[] = [];
  const offsiteRequests: string[] = [];
  const errors: string[] = [];

  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    offsiteRequests.push(url);
    return route.abort('blockedbyclient');
  });
  // route() sees what the browser would fetch; 'request' also sees what a route never gets
  // (workers' and data: requests), so the two together miss nothing the page asks for.
  context.on('request', (request) => {
    const url = request.url();
    requests.push(url);
    if (!isLocalUrl(url) && !offsiteRequests.includes(url)) offsiteRequests.push(url);
  });
  context.on('weberror', (error) => errors.push(`page error: ${error.error().message}`));

  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('websocket', (socket) => {
    requests.push(socket.url());
    if (!isLocalUrl(socket.url())) offsiteRequests.push(socket.url());
  });

  return {
    page,
    context,
    requests,
    offsiteRequests,
    errors,
    async screenshot(name) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
