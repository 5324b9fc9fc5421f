/**
 * The trusted documents manifest: operations a frontend's build extracted, each under an id. Two
 * formats, as the tools write them:
 *
 *   Apollo (generate-persisted-query-manifest):
 *     { "format": "apollo-persisted-query-manifest", "version": 1,
 *       "operations": [{ "id": "<sha256>", "name": "EntityGraph", "type": "query", "body": "query EntityGraph { … }" }] }
 *   The Guild (graphql-codegen client preset, `persistedDocuments`):
 *     { "<hash>": "query EntityGraph { … }" }
 *
 * Every document is parsed once at start, so a broken manifest stops the gateway instead of
 * failing a frontend's requests one by one.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';

export interface TrustedDocuments {
  /** The document listed under `id`, or `undefined`. */
  get(id: string): string | undefined;
  readonly size: number;
}

export function loadTrustedDocuments(path: string, readFile: (path: string) => string = (file) => readFileSync(file, 'utf8')): TrustedDocuments {
  const where = `INTERLINK_TRUSTED_DOCUMENTS_FILE (${JSON.stringify(path)})`;
  let data: unknown;
  try {
    data = JSON.parse(readFile(path));
  } catch {
    throw new Error(`${where} must be a readable JSON file`);
  }
  const documents = new Map<string, string>();
  for (const [id, body] of entriesOf(data, where)) {
    try {
      parse(body, { noLocation: true });
    } catch {
      throw new Error(`${where} lists operation ${JSON.stringify(id)}, which is not a valid GraphQL document`);
    }
    documents.set(id, body);
  }
  return { get: (id) => documents.get(id), size: documents.size };
}

function entriesOf(data: unknown, where: string): [string, string][] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${where} must hold an object: Apollo's persisted query manifest or { id: document }`);
  const record = data as Record<string, unknown>;
  if (record.format === 'apollo-persisted-query-manifest') {
    if (record.version !== 1 || !Array.isArray(record.operations)) throw new Error(`${where} must be version 1 of Apollo's manifest, with an operations array`);
    return record.operations.map((operation: unknown, index) => {
      const { id, body } = (operation ?? {}) as { id?: unknown; body?: unknown };
      if (typeof id !== 'string' || id === '' || typeof body !== 'string') throw new Error(`${where} operations[${index}] must have a string id and body`);
      return [id, body];
    });
  }
  return Object.entries(record).map(([id, body]) => {
    if (typeof body !== 'string') throw new Error(`${where} must map each id to a document string; ${JSON.stringify(id)} is not one`);
    return [id, body];
  });
}
