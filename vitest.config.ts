import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The finalization test calls gc() to show that dropped handles are freed.
    execArgv: ['--expose-gc'],
  },
});
