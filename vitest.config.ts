import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real sockets on loopback; shared 2-core machines are slow now and then.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
