/**
 * The audit's rules under a pace: every link grouped and every record a DISAGREEMENT check
 * visits is a unit, so a tenant's 40,000 links yield the event loop as they are checked and a
 * pace that fails (the request's deadline) stops them.
 */
import { describe, expect, it } from 'vitest';
import { linkFindings } from '../../../src/audit/link-findings.js';
import type { Pace } from '../../../src/lib/pace.js';
import type { ExternalLink } from '../../../src/models.js';

function link(provider: 'M3TER' | 'REVIO', nativeId: string, internalId: string, externalId: string): ExternalLink {
  const base = { nativeId, tenant: 't', external: { system: 'Salesforce', type: 'Account', id: externalId }, createdAt: null, updatedAt: null, createdBy: null, updatedBy: null };
  return provider === 'M3TER'
    ? ({ ...base, provider, internal: { system: 'm3ter', type: 'Account', id: internalId }, version: 1, integrationConfigId: null } as ExternalLink)
    : ({ ...base, provider, internal: { system: 'Rev.io', type: 'CUSTOMER', id: internalId } } as ExternalLink);
}

/** A tenant's links: each Salesforce account linked by both providers, to records nothing else ties. */
function tenant(accounts: number): ExternalLink[] {
  return Array.from({ length: accounts }, (_, i) => [link('M3TER', `m${i}`, `acc${i}`, `sf${i}`), link('REVIO', `r${i}`, `${i}`, `sf${i}`)]).flat();
}

const facts = { entityIds: new Set<string>(), bothProviders: new Set<string>() };

describe('linkFindings under a pace', () => {
  it('counts every link and visited record as work, and finds the same without one', async () => {
    let units = 0;
    const counting: Pace = (n) => {
      units += n;
      return undefined;
    };
    const links = tenant(500);
    const paced = await linkFindings(links, facts, counting);
    expect(paced).toEqual(await linkFindings(links, facts));
    expect(paced.filter((finding) => finding.kind === 'DISAGREEMENT')).toHaveLength(500);
    // At least one unit per link in each of the passes over them.
    expect(units).toBeGreaterThan(links.length * 5);
  });

  it('stops at the first unit its pace refuses, half way through: the rest is not computed', async () => {
    const links = tenant(5_000);
    let whole = 0;
    await linkFindings(links, facts, (n) => {
      whole += n;
      return undefined;
    });
    let units = 0;
    const refusing: Pace = (n) => {
      units += n;
      return units > whole / 2 ? Promise.reject(Object.assign(new Error('deadline'), { code: 'REQUEST_TIMEOUT' })) : undefined;
    };
    await expect(linkFindings(links, facts, refusing)).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
    // No unit asked for after the refusal: the largest single step is one pass's links.
    expect(units).toBeLessThanOrEqual(whole / 2 + links.length);
  });
});
