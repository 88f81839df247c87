import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app lives in src/web and builds to dist/web, which the Fastify server serves in
// production. In development the Vite server forwards server routes to the API on :3000.
const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));
const apiOrigin = process.env.FLOWMART_API_ORIGIN ?? 'http://localhost:3000';

// The Host header is kept (no changeOrigin) so the server's same-origin check compares the
// browser's Origin with the address the browser actually used.
const serverRoutes = ['/api', '/healthz', '/docs', '/openapi.json'];

export default defineConfig({
  root,
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(serverRoutes.map((path) => [path, { target: apiOrigin }])),
  },
  build: {
    outDir,
    emptyOutDir: true,
    // antd's core, which every page needs, is one ~620 kB chunk (~190 kB gzip); warn above that.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: in their own chunks they stay cached across
        // releases. `entriesAware` keeps what only the lazy consoles use (antd's Table, ...) out
        // of the storefront's first load.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|@emotion|dayjs)[\\/]/, priority: 20, entriesAware: true },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10, entriesAware: true },
          ],
        },
      },
    },
  },
});
