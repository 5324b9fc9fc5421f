import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql for everything, as under Node: the CommonJS build its `main` names. Vite would
    // pick the ES build (`module`) for our files while Apollo, graphql-armor and
    // graphql-query-complexity load the CommonJS one, and graphql refuses a schema from the other.
    alias: { graphql: createRequire(import.meta.url).resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Real sockets on loopback; shared 2-core machines are slow now and then.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
