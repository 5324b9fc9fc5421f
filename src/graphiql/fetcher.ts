import type { GraphiQLProps } from 'graphiql';
import { GraphQLError, type ExecutionResult } from 'graphql';

type Fetcher = GraphiQLProps['fetcher'];

/**
 * A plain POST fetcher for the same-origin endpoint. The headers editor's content arrives in
 * `options.headers` and is sent as is, so the API key typed (or prefilled) there authenticates.
 * A body that is not JSON (a proxy's error page, say) becomes a GraphQL-shaped error instead of a
 * parse exception, so the response pane always says what came back.
 */
export function createFetcher(endpoint: string): Fetcher {
  return async (params, options) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    for (const [name, value] of Object.entries(options?.headers ?? {})) {
      headers[name] = String(value);
    }
    const response = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(params),
      credentials: 'same-origin',
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as ExecutionResult;
    } catch {
      const message = `HTTP ${response.status}: expected a JSON body, got ${JSON.stringify(text.slice(0, 200))}`;
      return { errors: [new GraphQLError(message)] };
    }
  };
}
