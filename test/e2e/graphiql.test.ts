import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGraphiQLAssets } from '../../scripts/build-graphiql.js';
import { openBrowser, type BrowserSession } from '../helpers/browser.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * The offline GraphiQL page in real headless Chromium, served by the gateway as its process runs
 * it (`createGateway`: API keys, plugins) over the sandbox. The page's default headers carry an
 * API key, as sandbox mode prefills its development key, and pick the second seeded company's
 * tenants (not the default first), so a right answer also proves the prefilled headers reached
 * the gateway. Any request beyond localhost is aborted and fails the test. Screenshots go to
 * test-artifacts/.
 */
const API_KEY = 'ilk_test_graphiql_5b1e0c7d9a2f4e6b8c0d1e2f3a4b5c6d';
const CROSS_VENDOR = 'query CrossVendor($id: ID!) { entity(id: $id) { name externalLinks { provider tenant external { system id } } } }';

describe('GraphiQL: offline, in Chromium', () => {
  let gw: TestGateway;
  let browser: BrowserSession;
  let tenantHeaders: Record<string, string>;
  let rootEntityId: string;

  beforeAll(async () => {
    // Builds dist/graphiql on a fresh clone; a no-op (one stamp read) when it is current.
    const { outDir } = await ensureGraphiQLAssets();
    gw = await startGateway({
      keys: { explorer: { key: API_KEY, scopes: ['read'] } },
      graphiql: (sandbox) => {
        const company = sandbox.fixtures.facts.companies[1]!;
        rootEntityId = company.zuora.rootEntityId;
        tenantHeaders = {
          'Interlink-Zuora-Entity': company.zuora.rootEntityId,
          'Interlink-M3ter-Org': company.m3ter.orgId,
          'Interlink-Revio-Client': company.revio.clientCode,
        };
        return { assetsDir: outDir, defaultHeaders: { Authorization: `Bearer ${API_KEY}`, ...tenantHeaders } };
      },
    });
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('opens from GET /graphql in a browser, with the default headers prefilled', async () => {
    const { page } = browser;
    const response = await page.goto(`${gw.url}/graphql`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15_000 });
    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await expect.poll(() => editorText(headersEditor), { timeout: 10_000 }).toContain(`"Interlink-Revio-Client": "${tenantHeaders['Interlink-Revio-Client']}"`);
  });

  it('runs a query across Zuora, m3ter and Rev.io and shows the sandbox data', async () => {
    const { page } = browser;
    const direct = await gw.post(CROSS_VENDOR, { variables: { id: rootEntityId }, key: API_KEY, headers: tenantHeaders });
    const expected = direct.body;
    expect(expected.errors).toBeUndefined();
    const entity = expected.data.entity as { name: string; externalLinks: { provider: string; tenant: string; external: { id: string } }[] };
    expect(entity.externalLinks.map((link) => link.provider).sort()).toEqual(['M3TER', 'REVIO']);

    // Replace the editor's content. insertText, not key presses: Monaco would auto-close brackets.
    await page.locator('.graphiql-query-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(CROSS_VENDOR);
    await page.getByText('Variables', { exact: true }).click();
    await page.locator('.graphiql-editor-tool .graphiql-editor').first().locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(JSON.stringify({ id: rootEntityId }));

    // Prettify (GraphiQL's bundled prettier) formats both editors for the screenshot.
    await page.getByRole('button', { name: /^Prettify query/ }).click();
    await expect.poll(() => editorText(page.locator('.graphiql-query-editor'))).toContain('externalLinks {\n');

    const answered = page.waitForResponse((r) => r.url() === `${gw.url}/graphql` && r.request().method() === 'POST');
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual(expected);
    // The headers pane's content went out with the request, API key included.
    const sent = response.request().headers();
    expect(sent.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent['interlink-m3ter-org']).toBe(tenantHeaders['Interlink-M3ter-Org']);
    expect(sent['interlink-revio-client']).toBe(tenantHeaders['Interlink-Revio-Client']);

    const rendered = () => editorText(page.locator('.result-window'));
    await expect.poll(rendered, { timeout: 10_000 }).toContain(`"name": "${entity.name}"`);
    const text = await rendered();
    for (const link of entity.externalLinks) {
      expect(text).toContain(`"provider": "${link.provider}"`);
      expect(text).toContain(`"tenant": "${link.tenant}"`);
      expect(text).toContain(`"id": "${link.external.id}"`);
    }
    await browser.screenshot('graphiql-cross-vendor-query');
  });

  it('keeps the query in history', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Show History' }).click();
    await expect.poll(() => page.locator('.graphiql-history-item').count()).toBeGreaterThan(0);
    expect(await page.locator('.graphiql-history').innerText()).toContain('CrossVendor');
  });

  it('browses the schema in the docs explorer', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(() => docs.innerText(), { timeout: 10_000 }).toContain('Query');
    await docs.locator('.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click();
    await expect.poll(() => docs.innerText()).toContain('entities');
    await docs.getByText('Entity', { exact: true }).first().click();
    await expect.poll(() => docs.innerText()).toContain('externalLinks');
    await browser.screenshot('graphiql-docs-explorer');
  });

  it('loaded everything from localhost, with no errors or CSP violations', () => {
    expect(browser.requests.length).toBeGreaterThan(0);
    expect(browser.offsiteRequests).toEqual([]);
    expect(browser.errors).toEqual([]);
    // Monaco's three workers came from the bundle, not from a CDN or a blob: URL.
    for (const worker of ['editor.worker', 'json.worker', 'graphql.worker']) {
      expect(browser.requests.some((url) => url.startsWith(`${gw.url}/graphiql/assets/${worker}-`))).toBe(true);
    }
  });
});

/** What a Monaco editor shows; it renders spaces as no-break spaces. */
async function editorText(editor: Locator): Promise<string> {
  return (await editor.innerText()).replace(/\u00a0/g, ' ');
}

