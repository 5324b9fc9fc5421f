/**
 * The gateway process (`npm start`, `node dist/src/index.js`): configuration from the environment,
 * the embedded sandbox when no vendor URL is set, the gateway on its port, and a graceful stop on
 * SIGTERM or SIGINT (a second signal stops at once).
 *
 * Exit codes: 0 after a clean stop, 1 on a failure at start or while running, 2 on bad configuration.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { developmentApiKey, type DevelopmentApiKey } from './callers/development-api-key.js';
import { loadConfig, type Config } from './config.js';
import { ConfigError } from './errors.js';
import { createGateway, type Gateway } from './gateway.js';
import { applyHeapGrowth } from './heap-growth.js';
import { graphiqlAssetsDir } from './http/graphiql-assets-dir.js';
import { createLogger } from './observability/logger.js';
import { SAMPLE_QUERY } from './sample-query.js';
import { sandboxGrant, withSandboxUpstreams } from './sandbox-mode.js';
import { startBanner } from './start-banner.js';

interface Running {
  gateway: Gateway;
  /** Stops the embedded sandbox; absent against real vendors. */
  closeSandbox?: () => Promise<void>;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n\nEvery setting is listed in README.md, "Configuration".\n`);
    process.exit(2);
  }
  applyHeapGrowth(config.server.heapGrowthPercent);
  const logger = createLogger({ level: config.server.logLevel });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });

  const running = await start(config, logger);
  const stop = once(async (signal: string) => {
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    // A second signal means "now".
    process.once('SIGINT', () => process.exit(1));
    process.once('SIGTERM', () => process.exit(1));
    await running.gateway.close();
    await running.closeSandbox?.();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  });
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

async function start(loaded: Config, logger: Logger): Promise<Running> {
  let config = loaded;
  let closeSandbox: (() => Promise<void>) | undefined;
  let devKey: DevelopmentApiKey | undefined;
  if (config.mode === 'sandbox') {
    // Loaded only in sandbox mode: a gateway pointed at real vendors never runs simulator code.
    const { startSandbox } = await import('../sandbox/index.js');
    const sandbox = await startSandbox({ host: '127.0.0.1' });
    closeSandbox = () => sandbox.close();
    config = withSandboxUpstreams(config, sandbox);
    if (config.server.apiKeys.length === 0) {
      const grant = sandboxGrant(config);
      devKey = developmentApiKey(grant);
    }
    logger.info({ sandbox: sandbox.urls }, 'embedded sandbox started');
  }
  try {
    const gateway = await createGateway({
      config,
      logger,
      ...(devKey ? { extraApiKeys: [devKey.record] } : {}),
      graphiql: {
        assetsDir: builtGraphiQL(),
        defaultQuery: SAMPLE_QUERY,
        ...(devKey ? { defaultHeaders: { authorization: `Bearer ${devKey.key}` } } : {}),
      },
    });
    const url = await gateway.listen();
    const readyMs = Math.round(performance.now());
    logger.info({ url, mode: config.mode, readyMs }, 'listening');
    process.stderr.write(startBanner({ url, mode: config.mode, readyMs, ...(devKey ? { developmentKey: devKey.key } : {}) }));
    return { gateway, ...(closeSandbox ? { closeSandbox } : {}) };
  } catch (error) {
    await closeSandbox?.();
    throw error;
  }
}

/** `npm start` builds GraphiQL when stale and the Docker image ships it; anything else must build it first. */
function builtGraphiQL(): string {
  const dir = graphiqlAssetsDir();
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`GraphiQL is not built (no ${dir}/index.html): run "npm run build:graphiql" or "npm run build"`);
  return dir;
}

function once<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  let started: Promise<void> | undefined;
  return (...args) => (started ??= fn(...args));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Interlink failed to start: ${message}\n`);
  process.exit(1);
});
