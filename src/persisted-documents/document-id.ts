/**
 * The id a request names its operation by, before anything reads its document: Apollo's
 * `extensions.persistedQuery.sha256Hash` (automatic persisted queries, and Apollo Client's
 * persisted-query link), in the body or, for a GET, the URL's `extensions` parameter.
 */
import { isRecord } from '../lib/is-record.js';

export function documentIdOf(body: unknown, search: string): string | undefined {
  const extensions = isRecord(body) ? body.extensions : extensionsOfSearch(search);
  const persisted = isRecord(extensions) ? extensions.persistedQuery : undefined;
  const hash = isRecord(persisted) ? persisted.sha256Hash : undefined;
  return typeof hash === 'string' && hash !== '' ? hash : undefined;
}

/**
 * The GraphQL-over-HTTP draft's `documentId` (The Guild's clients send it) as the persisted
 * query extension Apollo reads, so both spellings reach one path. Other bodies are left as they are.
 */
export function withDocumentIdAsExtension(body: unknown): unknown {
  if (!isRecord(body) || typeof body.documentId !== 'string' || body.query !== undefined) return body;
  const { documentId, ...rest } = body;
  const extensions = isRecord(rest.extensions) ? rest.extensions : {};
  return { ...rest, extensions: { ...extensions, persistedQuery: { version: 1, sha256Hash: documentId } } };
}

function extensionsOfSearch(search: string): unknown {
  const raw = new URLSearchParams(search).get('extensions');
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
