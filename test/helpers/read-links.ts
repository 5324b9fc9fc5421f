/** Every link of a provider that a filter selects, read page by page as the gateway reads them. */
import type { ExternalLink, LinkFilter } from '../../src/models.js';
import type { LinkProvider } from '../../src/upstreams/index.js';

export async function readAll(links: LinkProvider, filter: LinkFilter): Promise<ExternalLink[]> {
  const read = await links.linkPages(filter, { requestId: 'test-read' });
  if (read === undefined) return [];
  const all: ExternalLink[] = [];
  for (let at: unknown = links.linkPaging.start; at !== undefined; ) {
    const page = await read(at);
    all.push(...page.items);
    at = page.next;
  }
  return all;
}
