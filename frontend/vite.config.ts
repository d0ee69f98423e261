import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Vite empties dist on every build; the Go binary embeds dist and needs the folder on a fresh clone,
// so the tracked placeholder is put back after each build.
const keepDist = { name: 'keep-dist', closeBundle: () => writeFileSync(resolve(import.meta.dirname, 'dist/.gitkeep'), '') }

export default defineConfig({
  plugins: [vue(), keepDist],
  // The bundle is served from inside the binary, never over a network: one chunk is fine.
  build: { chunkSizeWarningLimit: 2000 },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts'],
  },
})
