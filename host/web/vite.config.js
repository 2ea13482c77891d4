// Builds the dashboard into static files (index.html + assets/) that the host serves at "/".
// The output directory comes from the command line: `npm run build -- --outDir DIR`.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` against a running host: CHATHOST_URL=http://127.0.0.1:8080 npm run dev
    proxy: { '/api': process.env.CHATHOST_URL || 'http://127.0.0.1:8080' },
  },
});
