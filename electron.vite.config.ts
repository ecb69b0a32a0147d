import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    build: {
      // electron-store is ESM-only; bundling it keeps the main bundle loadable as CommonJS.
      externalizeDeps: { exclude: ['electron-store'] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // Browser mode runs the same core in plain Node: `node out/main/browser-mode.js`.
          'browser-mode': resolve('src/main/hosts/browser/entry.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload cannot require anything but electron: it must be one self-contained bundle.
    build: { externalizeDeps: false },
  },
  renderer: {
    resolve: { alias: { '@renderer': resolve('src/renderer/src') } },
    plugins: [react()],
  },
})
