/**
 * The sandbox's outage drills for the soak: a vendor that refuses connections for a while, and a
 * restart of every simulator that keeps the data and forgets the tokens (callers must fetch new
 * ones, as after a real vendor's deploy). Both through the object and through the control API.
 */
import { describe, expect, it } from 'vitest';
import { sessionFor, tenantFixture } from '../../helpers/vendors/zuora.js';
import { withSandbox } from '../../helpers/with-sandbox.js';

describe('sandbox outages', () => {
  const sandbox = withSandbox({ reset: false });

  const reachable = (url: string) =>
    fetch(`${url}/__sandbox/info`).then(
      (response) => response.status,
      (error: unknown) => ((error as { cause?: { code?: string } }).cause?.code ?? 'failed'),
    );

  it('refuses connections to one vendor for a while, on the same port, and the others keep answering', async () => {
    const refusal = sandbox.refuseConnections('m3ter', 300);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await reachable(sandbox.urls.m3ter)).toBe('ECONNREFUSED');
    expect(await reachable(sandbox.urls.zuora)).toBe(200);
    await refusal;
    expect(await reachable(sandbox.urls.m3ter)).toBe(200);
  });

  it('restarts every simulator: data kept, tokens forgotten', async () => {
    const tenant = tenantFixture(sandbox, 0);
    const session = await sessionFor(sandbox, tenant.admin, tenant.rootId);
    const before = await session.call('/v1/entities');
    expect(before.status).toBe(200);
    const target = tenant.fixture.entities.find((e) => e.id !== tenant.rootId)!.id;
    const created = await session.call('/v1/entity-connections', { method: 'POST', body: { targetEntityId: target } });
    const ledgerBefore = sandbox.ledger.total;

    await sandbox.restart();

    // The restart cut the kept-alive socket: the first call on it may fail, as with a real vendor.
    const stale = await session.call('/v1/entities').catch(() => session.call('/v1/entities'));
    expect(stale.status).toBe(401);
    const fresh = await sessionFor(sandbox, tenant.admin, tenant.rootId).catch(() => sessionFor(sandbox, tenant.admin, tenant.rootId));
    const connections = await fresh.call('/v1/entity-connections?pageSize=300');
    expect(JSON.stringify(connections.body)).toContain((created.body as { id?: string }).id ?? 'no id');
    expect(sandbox.ledger.total).toBeGreaterThan(ledgerBefore);
  });

  it('takes both drills through the control API, answering 202 before it acts', async () => {
    const refuse = await fetch(`${sandbox.urls.revio}/__sandbox/refuse/revio`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms: 300 }) });
    expect(refuse.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await reachable(sandbox.urls.revio)).toBe('ECONNREFUSED');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await reachable(sandbox.urls.revio)).toBe(200);

    const bad = await fetch(`${sandbox.urls.zuora}/__sandbox/refuse/zuora`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms: 0 }) });
    expect(bad.status).toBe(400);

    const restart = await fetch(`${sandbox.urls.zuora}/__sandbox/restart`, { method: 'POST' });
    expect(restart.status).toBe(202);
    let status: number | string = 'ECONNREFUSED';
    for (let i = 0; i < 50 && status !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await reachable(sandbox.urls.zuora);
    }
    expect(status).toBe(200);
  });
});
