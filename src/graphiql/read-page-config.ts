import { GRAPHIQL_CONFIG_ELEMENT_ID, type GraphiQLPageConfig } from '../http/graphiql-page-config.js';

/** Reads the config the server rendered into the page; a page without one talks to `/graphql`. */
export function readPageConfig(document: Document): GraphiQLPageConfig {
  const element = document.getElementById(GRAPHIQL_CONFIG_ELEMENT_ID);
  const parsed = element?.textContent ? (JSON.parse(element.textContent) as Partial<GraphiQLPageConfig>) : {};
  return {
    endpoint: typeof parsed.endpoint === 'string' ? parsed.endpoint : '/graphql',
    defaultHeaders: parsed.defaultHeaders ?? {},
    ...(typeof parsed.defaultQuery === 'string' ? { defaultQuery: parsed.defaultQuery } : {}),
  };
}
