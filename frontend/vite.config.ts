import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Vite empties dist on every build; the Go binary embeds dist and needs the folder on a fresh clone,
// so the tracked placeholder is put back after each build.
const keepDist = { name: 'keep-dist', closeBundle: () => writeFileSync(resolve(import.meta.dirname, 'dist/.gitkeep'), '') }

export default defineConfig({
  plugins: [vue(), keepDist],
  // The bundle is served from inside the binary, never over a network: big chunks are fine. What the
  // first screen runs is one chunk ($initial: what index.html imports, statically): split by what the
  // lazy views share, it was two dozen requests the window waited for, six at a time.
  build: {
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] } } },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts'],
  },
})
