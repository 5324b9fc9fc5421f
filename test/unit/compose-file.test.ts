/**
 * compose.yaml, read as Docker Compose would (YAML merge keys, `$$` escapes) without a Docker
 * engine: every replica reaches the same Redis, counts the same replicas, and sits behind the
 * load balancer, which comes from a standard image.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
  command?: string[];
}

const compose = parse(readFileSync(new URL('../../compose.yaml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
};
const replicas = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

describe('compose.yaml', () => {
  it('runs three replicas of the gateway image', () => {
    expect(replicas.map(([name]) => name)).toEqual(['interlink-1', 'interlink-2', 'interlink-3']);
  });

  it('gives every replica the same Redis URL, naming the compose Redis service, and the same replica count and token key', () => {
    const urls = new Set(replicas.map(([, service]) => service.environment?.INTERLINK_REDIS_URL));
    expect(urls.size).toBe(1);
    const url = new URL([...urls][0]!);
    expect(url.protocol).toBe('redis:');
    expect(compose.services[url.hostname]?.image).toMatch(/^redis:\d/);
    for (const [, service] of replicas) {
      expect(service.environment?.INTERLINK_REPLICAS).toBe(String(replicas.length));
      expect(service.environment?.INTERLINK_SHARED_TOKEN_KEY).toBe(replicas[0]![1].environment?.INTERLINK_SHARED_TOKEN_KEY);
      expect(service.depends_on).toHaveProperty(url.hostname);
    }
  });

  it('keeps the clientMutationId records across a Redis restart and never evicts them', () => {
    const command = compose.services.redis?.command ?? [];
    expect(command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
  });

  it('balances over every replica with a load balancer from a standard image', () => {
    const balancer = compose.services['load-balancer'];
    expect(balancer?.image).toMatch(/^nginx:\d/);
    const upstream = compose.configs['nginx-conf']?.content ?? '';
    for (const [name] of replicas) expect(upstream).toContain(`server ${name}:4000`);
  });
});
