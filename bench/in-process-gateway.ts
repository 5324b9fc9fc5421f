/**
 * The gateway over an embedded sandbox in this process, as `npm start` runs it in sandbox mode
 * (development key, every sandbox tenant), for the small bench scripts that measure one thing
 * at a time (bench/compression.ts, bench/tracing-overhead.ts). The main bench (bench/run.ts)
 * runs everything in its own processes instead.
 */
import { startSandbox } from '../sandbox/index.js';
import type { SizeName } from '../sandbox/fixtures/index.js';
import { developmentApiKey } from '../src/callers/development-api-key.js';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { createLogger } from '../src/observability/logger.js';
import { sandboxGrant, withSandboxUpstreams } from '../src/sandbox-mode.js';

export interface InProcessGateway {
  url: string;
  /** POSTs `query` with the development key; resolves to the answer's text and headers. */
  post(query: string, headers?: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }>;
  close(): Promise<void>;
}

export async function startInProcessGateway(options: { size: SizeName; env?: Record<string, string> }): Promise<InProcessGateway> {
  const sandbox = await startSandbox({ host: '127.0.0.1', size: options.size, limits: 'off' });
  const config = withSandboxUpstreams(loadConfig({ INTERLINK_PORT: '0', INTERLINK_LOG_LEVEL: 'silent', ...options.env }), sandbox);
  const devKey = developmentApiKey(sandboxGrant(config));
  const gateway = await createGateway({ config, logger: createLogger({ level: 'silent' }), extraApiKeys: [devKey.record], graphiql: false });
  const url = await gateway.listen();
  return {
    url,
    async post(query, headers = {}) {
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${devKey.key}`, ...headers }, body: JSON.stringify({ query }) });
      return { status: response.status, text: await response.text(), headers: response.headers };
    },
    async close() {
      await gateway.close();
      await sandbox.close();
    },
  };
}
