import { defineConfig } from 'vitest/config';

// The local stack (go run ./cmd/devstack) serves /api and /config.json; `npm run dev` proxies to it.
const stack = process.env.WOODSHED_STACK ?? 'http://127.0.0.1:8080';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  server: {
    proxy: { '/api': stack, '/config.json': stack },
  },
  build: {
    outDir: 'dist',
    target: 'es2022',
    // The report in the build output is the budget check: initial JS must stay ≤ 150 KB gzip.
    reportCompressedSize: true,
    // audioWorklet.addModule needs a real file: Safari refuses data: URLs for worklet modules.
    assetsInlineLimit: (file) => (file.includes('worklet') ? false : undefined),
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
