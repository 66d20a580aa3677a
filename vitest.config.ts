import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    // One DynamoDB Local for the run, booted in the background; the table fixture (test/support/table.ts)
    // waits for it in a beforeAll, within hookTimeout.
    globalSetup: ['test/support/dynamodb-global-setup.ts'],
    hookTimeout: 120_000,
    // The SDK warns on Node 20 about releases from 2027 on; Lambda runs Node 22+.
    // POWERTOOLS_DEV: the Powertools logger writes through the global console (tests spy on it) and
    // the EMF metric lines are not printed at all (a test that checks them turns them on itself).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LOG_LEVEL: 'error', POWERTOOLS_DEV: 'true' },
    // Error-path tests make the handlers log on purpose; keep those structured lines out of the report
    // (tests that assert a log line spy on the console and still see it).
    onConsoleLog: (log) => !/^\{\s*"level":/.test(log),
  },
});
