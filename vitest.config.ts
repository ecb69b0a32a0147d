import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'test/main/**/*.test.ts',
      'test/shared/**/*.test.ts',
      'test/renderer/**/*.test.ts',
      'test/scripts/**/*.test.ts',
      'test/cli/**/*.test.ts',
      'test/fuzz/**/*.test.ts',
    ],
    environment: 'node',
    // Vault tests derive real keys and write real SQLite files; two cores run them in parallel.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
