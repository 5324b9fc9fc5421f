/**
 * `npm run sandbox`: the three vendor simulators, standalone, for curl and for pointing a gateway
 * at. Fixed default ports (4101 Zuora, 4102 m3ter, 4103 Rev.io) keep the README's examples true;
 * tests use startSandbox() with free ports instead. Options: --seed N, --size small|medium|large, --port-zuora/--port-m3ter/--port-revio N,
 * --no-limits (turn the vendors' rate limits off).
 */
import { parseArgs } from 'node:util';
import { startSandbox } from './index.js';
import { SIZE_PRESETS, type SizeName } from './fixtures/index.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    size: { type: 'string' },
    'port-zuora': { type: 'string' },
    'port-m3ter': { type: 'string' },
    'port-revio': { type: 'string' },
    'no-limits': { type: 'boolean' },
  },
});

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    console.error(`--${name} must be a non-negative integer, got "${value}"`);
    process.exit(2);
  }
  return Number(value);
}

if (values.size !== undefined && !(values.size in SIZE_PRESETS)) {
  console.error(`--size must be one of ${Object.keys(SIZE_PRESETS).join(', ')}, got "${values.size}"`);
  process.exit(2);
}

const sandbox = await startSandbox({
  seed: intOption('seed', values.seed),
  size: values.size as SizeName | undefined,
  limits: values['no-limits'] ? 'off' : 'vendor',
  ports: {
    zuora: intOption('port-zuora', values['port-zuora']) ?? 4101,
    m3ter: intOption('port-m3ter', values['port-m3ter']) ?? 4102,
    revio: intOption('port-revio', values['port-revio']) ?? 4103,
  },
});

const { zuora, m3ter, revio } = sandbox.credentials;
console.log(`Interlink sandbox (seed ${sandbox.fixtures.seed})

  Zuora Multi-entity   ${sandbox.urls.zuora}
    client_id=${zuora.clientId}
    client_secret=${zuora.clientSecret}
    entities (Zuora-Entity-Ids takes the hyphenated form): ${zuora.entityIds.slice(0, 3).join(', ')}${zuora.entityIds.length > 3 ? ', …' : ''}

  m3ter                ${sandbox.urls.m3ter}
    orgId=${m3ter.orgId}
    accessKeyId=${m3ter.accessKeyId}
    apiSecret=${m3ter.apiSecret}

  Rev.io               ${sandbox.urls.revio}
    login=${revio.login}@${revio.clientCode}
    password=${revio.password}
    Ocp-Apim-Subscription-Key=${revio.subscriptionKey}

  Control API on every port: /__sandbox/info, /__sandbox/ledger, /__sandbox/faults, /__sandbox/reset
  Ctrl-C stops.`);

const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
