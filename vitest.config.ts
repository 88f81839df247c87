import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'src/web/**'],
    pool: 'forks',
    // Two cores: one file per core; each file has its own database.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // expect.poll waits for what a user would see; a page loading on a busy 2-core machine can take
    // longer than the 1 s default (a fresh phone page of the checkout did, once).
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default'],
  },
});
