import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The studio's page: Preact through esbuild's automatic JSX, built into the package's dist/ui,
// which the server serves as static files.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
