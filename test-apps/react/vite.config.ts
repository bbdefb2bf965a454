import react from '@vitejs/plugin-react';
import { createLogger, defineConfig } from 'vite';

const port = Number(process.env.APP_PORT ?? 5173);

/** PGlite's bundle carries Node-only code paths (nodefs, eval'd requires) a browser never runs. */
const fromPglite = (text: string) => text.includes('@electric-sql/pglite');
const logger = createLogger();
const warn = logger.warn.bind(logger);
logger.warn = (msg, options) => {
  if (!(fromPglite(msg) && msg.includes('externalized for browser compatibility')))
    warn(msg, options);
};

export default defineConfig({
  plugins: [react()],
  customLogger: logger,
  // PGlite ships its own WASM and data files: pre-bundling would break their URLs.
  optimizeDeps: { exclude: ['@electric-sql/pglite'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: process.env.APP_OUT_DIR ?? 'dist',
    sourcemap: true,
    // PGlite's runtime is one ~1.2 MB chunk (its WASM and data files are separate assets).
    chunkSizeWarningLimit: 2_000,
    rollupOptions: {
      onwarn(warning, handle) {
        const where = `${warning.id ?? ''} ${warning.message}`;
        if (fromPglite(where) && (warning.code === 'EVAL' || warning.code === 'MISSING_EXPORT'))
          return;
        handle(warning);
      },
    },
  },
  server: { port, strictPort: true, host: '127.0.0.1' },
  preview: { port, strictPort: true, host: '127.0.0.1' },
});
