import { defineConfig } from 'vitest/config';

// Three projects: `unit` (pure logic), `integration` (real Postgres, real HTTP on loopback) and `ui`
// (Playwright driving Debian's Chromium against `serve` mode). Each project gets its own embedded Postgres, in one
// temp folder for the whole run (test/setup/postgres-global.ts).
// Integration and UI tests run the built output (test/setup/build.ts rebuilds what changed).
// The UI group runs after the others: its frame-time measurements must not share two cores with integration tests.
export default defineConfig({
  test: {
    globalSetup: ['test/setup/postgres-global.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Vitest's default on two cores is one worker. Integration tests spend most of their time waiting on Postgres,
    // child processes and sockets, so two files at a time nearly halve their wall time; every test polls with
    // deadlines rather than timing itself. The UI group stays one file at a time (fileParallelism below).
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/build.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'ui',
          include: ['test/ui/**/*.test.ts'],
          globalSetup: ['test/setup/build.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
        },
      },
    ],
  },
});
