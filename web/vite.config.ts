// The console's build: `npm run build:web` (-> web/dist) and `npm run dev:web` (hot reload against the local stack).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = `http://127.0.0.1:${process.env.PORT || 3000}`;

export default defineConfig({
  root,
  base: '/',
  plugins: [
    vue(),
    // Element Plus per component (and its CSS), resolved from the templates: no global app.use(ElementPlus).
    Components({ dirs: [], dts: false, resolvers: [ElementPlusResolver({ importStyle: 'css' })] }),
  ],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1200 },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/v1': api, '/_local': api, '/config.json': api },
  },
});
