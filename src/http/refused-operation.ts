/**
 * Which operation a refused request asked for, for its security and audit lines: the request
 * never reached Apollo (no key, a tenant header outside the grant), so nothing parsed it. The
 * document is parsed with a small token budget, and only its type and root field names are kept.
 */
import { parse, type FieldNode, type OperationDefinitionNode } from 'graphql';

export interface RefusedOperation {
  type: 'query' | 'mutation' | 'subscription';
  rootFields: string[];
}

/** Enough for any operation a refused caller needs named in a log; a longer one goes unnamed. */
const MAX_TOKENS = 5_000;

export function refusedOperation(body: unknown, search = ''): RefusedOperation | undefined {
  const fromBody = typeof body === 'object' && body !== null ? (body as { query?: unknown; operationName?: unknown }) : {};
  const params = new URLSearchParams(search);
  const query = typeof fromBody.query === 'string' ? fromBody.query : params.get('query');
  const name = typeof fromBody.operationName === 'string' ? fromBody.operationName : params.get('operationName');
  if (typeof query !== 'string') return undefined;
  try {
    const operations = parse(query, { maxTokens: MAX_TOKENS, noLocation: true }).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const operation = operations.find((o) => name === null || name === undefined || o.name?.value === name) ?? operations[0];
    if (operation === undefined) return undefined;
    const rootFields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === 'Field').map((field) => field.name.value);
    return { type: operation.operation, rootFields };
  } catch {
    return undefined;
  }
}
