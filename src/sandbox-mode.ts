/**
 * Sandbox mode: when no vendor URL is configured, the entry point starts the embedded sandbox and
 * configures the gateway with its URLs and seeded credentials through this function. The shape
 * below is declared here, not imported, because src/ never depends on the sandbox's code.
 */
import type { Config, MutableConfig, UpstreamsConfig } from './config.js';
import { deepFreeze } from './lib/deep-freeze.js';

export interface SandboxEndpoints {
  urls: { zuora: string; m3ter: string; revio: string };
  tenants: {
    zuora: { name: string; clientId: string; clientSecret: string; entityIds: string[] }[];
    m3ter: { name: string; orgId: string; accessKeyId: string; apiSecret: string }[];
    revio: { name: string; clientCode: string; login: string; password: string; subscriptionKey: string }[];
  };
}

export function withSandboxUpstreams(config: Config, sandbox: SandboxEndpoints): Config {
  const upstreams: UpstreamsConfig = {
    zuora: {
      url: sandbox.urls.zuora,
      tenants: sandbox.tenants.zuora.map((t) => ({ ...t, entityIds: t.entityIds.map(hyphenate) })),
    },
    m3ter: { url: sandbox.urls.m3ter, tenants: sandbox.tenants.m3ter.map((t) => ({ ...t })) },
    revio: { url: sandbox.urls.revio, tenants: sandbox.tenants.revio.map((t) => ({ ...t })) },
  };
  const next = { ...structuredClone(config as MutableConfig), mode: 'sandbox', upstreams } satisfies MutableConfig;
  return deepFreeze(next) as Config;
}

/** 32-hex → 8-4-4-4-12, the form Zuora scopes and headers use. */
function hyphenate(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
