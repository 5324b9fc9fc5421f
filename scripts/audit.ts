/**
 * `npm run audit -- --tenant <name or id> [--csv <file>] [--json <file>]`: the link audit of one
 * tenant (Query.linkAudit), printed as a table, for operators. Configuration is the gateway's own
 * (the environment, INTERLINK_CONFIG_FILE); with no vendor URLs it audits the embedded sandbox.
 *
 * `--tenant` picks, at each vendor, the configured tenant whose id is the value or whose name
 * contains it (any case): `--tenant acme` is the sandbox's Acme Telecom everywhere. Exit codes:
 * 0 no findings, 1 findings, 2 bad arguments or configuration, 3 the audit failed.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/config.js';
import { createServer } from '../src/server.js';
import { withSandboxUpstreams } from '../src/sandbox-mode.js';
import { createUpstreams } from '../src/upstreams/index.js';

const AUDIT = `{ linkAudit { m3terOrg revioClient linksRead findings { kind severity reason links { provider nativeId internal { system type id } external { system type id } } } } }`;

interface Finding {
  kind: string;
  severity: string;
  reason: string;
  links: { provider: string; nativeId: string; internal: { system: string; type: string | null; id: string }; external: { system: string; type: string | null; id: string } }[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { tenant: { type: 'string' }, csv: { type: 'string' }, json: { type: 'string' } } });
  if (!values.tenant) {
    process.stderr.write('usage: npm run audit -- --tenant <name or id> [--csv <file>] [--json <file>]\n');
    return 2;
  }
  let config = loadConfig();
  let closeSandbox: (() => Promise<void>) | undefined;
  if (config.mode === 'sandbox') {
    const { startSandbox } = await import('../sandbox/index.js');
    const sandbox = await startSandbox({ host: '127.0.0.1' });
    closeSandbox = () => sandbox.close();
    config = withSandboxUpstreams(config, sandbox);
  }
  const upstreams = createUpstreams(config);
  const server = createServer({ config, upstreams });
  try {
    const headers = tenantHeaders(config, values.tenant);
    await server.apollo.start();
    const response = await server.apollo.executeOperation({ query: AUDIT }, { contextValue: server.contextFor(headers) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const { data, errors } = response.body.singleResult as { data?: { linkAudit: { m3terOrg: string; revioClient: string; linksRead: number; findings: Finding[] } | null }; errors?: { message: string; extensions?: { code?: string } }[] };
    if (errors?.length || !data?.linkAudit) {
      for (const error of errors ?? []) process.stderr.write(`${error.extensions?.code ?? 'ERROR'}: ${error.message}\n`);
      return 3;
    }
    const audit = data.linkAudit;
    process.stdout.write(`Link audit of m3ter org ${audit.m3terOrg} and Rev.io client ${audit.revioClient}: ${audit.linksRead} links read, ${audit.findings.length} findings\n\n`);
    process.stdout.write(table(audit.findings));
    if (values.csv) writeFileSync(values.csv, csv(audit.findings));
    if (values.json) writeFileSync(values.json, `${JSON.stringify(audit, null, 2)}\n`);
    return audit.findings.length === 0 ? 0 : 1;
  } finally {
    await server.apollo.stop();
    upstreams.close();
    await closeSandbox?.();
  }
}

/** The tenant headers for `wanted`: at each vendor the one tenant whose id is it or whose name contains it. */
function tenantHeaders(config: Config, wanted: string): Record<string, string> {
  const sections = config.upstreams as unknown as Record<string, { tenants: Record<string, unknown>[] }>;
  const pick = (vendor: string, idField: string) => {
    const tenants = sections[vendor]?.tenants ?? [];
    const lower = wanted.toLowerCase();
    const found = tenants.filter((t) => String(t[idField] ?? '').toLowerCase() === lower || (Array.isArray(t.entityIds) && t.entityIds.includes(lower)) || String(t.name ?? '').toLowerCase().includes(lower));
    if (found.length !== 1) throw new Error(`--tenant ${JSON.stringify(wanted)} matches ${found.length} ${vendor} tenants (names: ${tenants.map((t) => String(t.name)).join(', ')}); give a name part or an id that matches one`);
    return found[0]!;
  };
  const zuora = pick('zuora', 'clientId');
  return {
    'interlink-zuora-entity': String((zuora.entityIds as string[])[0]),
    'interlink-m3ter-org': String(pick('m3ter', 'orgId').orgId),
    'interlink-revio-client': String(pick('revio', 'clientCode').clientCode),
  };
}

function rows(findings: Finding[]): string[][] {
  return findings.map((f) => [f.kind, f.severity, f.links.map((l) => `${l.provider}:${l.nativeId}`).join(' '), f.reason]);
}

function table(findings: Finding[]): string {
  const all = [['KIND', 'SEVERITY', 'LINKS', 'REASON'], ...rows(findings)];
  const widths = all[0]!.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  return all.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n') + '\n';
}

function csv(findings: Finding[]): string {
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return [['kind', 'severity', 'links', 'reason'], ...rows(findings)].map((row) => row.map(quote).join(',')).join('\n') + '\n';
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof Error && /--tenant|must be/.test(error.message) ? 2 : 3);
  },
);
