/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { defineConfig } from 'vite'

// The API serves dist/ at / (assets under /assets/, hashed, cached immutably). In dev, vite proxies the API.
const api = process.env.QLP_DEV_API ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus components are imported where used (tree-shaken); its CSS is loaded once in main.ts.
    Components({ resolvers: [ElementPlusResolver({ importStyle: false })], dts: 'components.d.ts' }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    // No manualChunks: Rollup splits by the lazy routes, so ECharts and CodeMirror load with the first page that
    // uses them. (A manual chunk also takes in its dependencies, Vue included, which the entry then preloads.)
  },
  server: {
    // the Submit page's built-in template is the demo workflow of trainers/configs/
    fs: { allow: ['.', '../trainers/configs'] },
    proxy: {
      '/api': api,
      '/mlflow': api,
      '/status': api,
      '/health': api,
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.spec.ts'],
    testTimeout: 30000,
  },
})
