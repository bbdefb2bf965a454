import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the workspace packages' sources, not their dist/ builds.
    alias: [
      { find: /^@sync\/core$/, replacement: src('packages/core/src/index.ts') },
      { find: /^@sync\/core\/diagnostics\/format$/, replacement: src('packages/core/src/diagnostics/format.ts') },
      { find: /^@sync\/codegen$/, replacement: src('packages/codegen/src/index.ts') },
      { find: /^@sync\/swift$/, replacement: src('generators/swift/src/index.ts') },
      { find: /^@sync\/dev-server$/, replacement: src('packages/dev-server/src/index.ts') },
      { find: /^@sync\/kotlin$/, replacement: src('generators/kotlin/src/index.ts') },
      { find: /^@sync\/react$/, replacement: src('generators/react/src/index.ts') },
      { find: /^@sync\/react-runtime$/, replacement: src('packages/react-runtime/src/index.ts') },
      { find: /^@sync\/react-runtime\/fetch$/, replacement: src('packages/react-runtime/src/fetch/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'generators/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
