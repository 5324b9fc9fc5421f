/**
 * Tells Monaco where its web workers live. scripts/build-graphiql.ts bundles each worker as its own
 * file and defines __GRAPHIQL_WORKER_URLS__ with their hashed same-origin URLs, so no worker is
 * fetched from a CDN (graphiql's own `setup-workers/esm.sh`) or made from a blob: URL.
 */
declare const __GRAPHIQL_WORKER_URLS__: { editor: string; json: string; graphql: string };

interface MonacoEnvironmentShape {
  getWorker(workerId: string, label: string): Worker;
}

(globalThis as { MonacoEnvironment?: MonacoEnvironmentShape }).MonacoEnvironment = {
  getWorker(_workerId, label) {
    // GraphiQL asks for 'graphql' (operation editor), 'json' (variables, headers, response);
    // anything else gets Monaco's plain editor worker.
    const url =
      label === 'graphql'
        ? __GRAPHIQL_WORKER_URLS__.graphql
        : label === 'json'
          ? __GRAPHIQL_WORKER_URLS__.json
          : __GRAPHIQL_WORKER_URLS__.editor;
    return new Worker(url, { name: label });
  },
};
