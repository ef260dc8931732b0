import { defineConfig } from 'vitest/config';

// Two projects: unit tests need no InfluxDB (`npx vitest run --project unit`), integration tests get
// one real InfluxDB 2.7 started by the global setup for the whole run.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests spawn journalctl and the CLI; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/support/global-setup.ts'] },
      },
    ],
  },
});
