/**
 * What the server tells the GraphiQL page. createGraphiQLHandler renders it into index.html as an
 * inline JSON data block and src/graphiql/app.tsx reads it back, so this file is shared by the
 * Node and the browser type-checks and must stay free of imports.
 */
export interface GraphiQLPageConfig {
  /** Same-origin path of the GraphQL endpoint, e.g. `/graphql`. */
  endpoint: string;
  /** Headers a new tab starts with; sandbox mode puts the development API key here. */
  defaultHeaders: Record<string, string>;
  /** Operation a first-time visitor sees in the editor; GraphiQL's own welcome text when absent. */
  defaultQuery?: string;
}

/** The id of the `<script type="application/json">` element that carries the config. */
export const GRAPHIQL_CONFIG_ELEMENT_ID = 'graphiql-config';

/** Where the page lives; its bundled files are served under `${GRAPHIQL_PATH}/assets/`. */
export const GRAPHIQL_PATH = '/graphiql';

/** The text scripts/build-graphiql.ts writes into index.html's config block for the server to replace. */
export const GRAPHIQL_CONFIG_PLACEHOLDER = '__INTERLINK_GRAPHIQL_CONFIG__';
