import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// Unit and functional tests are pure and fast; integration tests each start real local emulators,
// so they run one file at a time (2 cores here and in CI).
export default defineConfig({
  test: {
    // Handlers log JSON lines; tests assert behaviour, so keep their output readable (LOG_LEVEL=info to see them).
    // The SDK's notice that its releases after January 2027 need Node 22 (ours is pinned; Lambda runs 22).
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // CI also writes a JSON report, from which .ci/run prints one plain "N passed, N failed" line.
    reporters: process.env.VITEST_JSON ? ['default', 'json'] : ['default'],
    ...(process.env.VITEST_JSON ? { outputFile: { json: process.env.VITEST_JSON } } : {}),
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/functional/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/infra/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // The console's component tests (web/src/**/*.test.ts) in a DOM.
      { extends: true, plugins: [vue()], test: { name: 'web', include: ['web/src/**/*.test.ts'], environment: 'happy-dom' } },
      // The console end to end: the local stack and Debian's Chromium (test/e2e/).
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 180_000, hookTimeout: 180_000 },
      },
      // `npm run test:faults` (vitest run --project faults): the fault suite on the local stack, minutes
      // long (size via FAULT_PROPOSALS). Declared only when asked for, so a plain `vitest run` skips it.
      ...(process.argv.some((a) => a.includes('faults'))
        ? [
            {
              extends: true as const,
              test: {
                name: 'faults',
                include: ['test/faults/**/*.test.ts'],
                fileParallelism: false,
                testTimeout: 15 * 60_000,
                hookTimeout: 120_000,
              },
            },
          ]
        : []),
    ],
  },
});
