import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts', 'test/**/*.test.ts'],
    clearMocks: true,
    restoreMocks: true,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
