import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import type { Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import en from './src/langs/en.ts'
import { compileMessages } from './src/langs/compile.ts'

// Vite empties dist on every build; the Go binary embeds dist and needs the folder on a fresh clone,
// so the tracked placeholder is put back after each build.
const keepDist = { name: 'keep-dist', closeBundle: () => writeFileSync(resolve(import.meta.dirname, 'dist/.gitkeep'), '') }

// The built app's messages come compiled (src/langs/compile.ts), so vue-i18n's message compiler is
// left out, and with it the legacy API and the global components the app does not use. The tests
// keep the plain messages and the compiler.
const messagesFile = resolve(import.meta.dirname, 'src/langs/en.ts')
const compiledMessages: Plugin = {
  name: 'compiled-messages',
  apply: 'build',
  config: () => ({
    define: { __INTLIFY_DROP_MESSAGE_COMPILER__: 'true', __VUE_I18N_LEGACY_API__: 'false', __VUE_I18N_FULL_INSTALL__: 'false', __INTLIFY_PROD_DEVTOOLS__: 'false' },
  }),
  // JSON.parse: V8 reads a large object from JSON text faster than from a literal.
  load: (id) => (id === messagesFile ? `export default JSON.parse(${JSON.stringify(JSON.stringify(compileMessages(en, 'src/langs/en.ts')))})` : null),
}

export default defineConfig({
  plugins: [vue(), keepDist, compiledMessages],
  // The bundle is served from inside the binary, never over a network: big chunks are fine. What the
  // first screen runs ($initial: what index.html imports, statically) is a few chunks, not the two
  // dozen the lazy views' sharing would make (the window waited for them six at a time): Vue; its
  // stores and messages' runtime (pinia, vue-i18n); the few other libraries the first screen needs
  // (Naive UI's colours: its components load with the screens and dialogs that use them,
  // components/ui/palette.ts); the messages; and the app. Chromium parses each on a thread of its own
  // while they stream in, so the longest one's parse is what the page waits for: as one chunk it was
  // some 200 ms on one core of two before the first line ran. Alternated fresh loads (twenty each):
  // Vue with its stores and the messages in the app's chunk, median 473 ms, slowest 641; as here, 452
  // and 540.
  build: {
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'messages', test: /src[\\/]langs[\\/]en\.ts$/, tags: ['$initial'], priority: 4 },
            { name: 'vue', test: /node_modules[\\/](@vue|vue)[\\/]/, tags: ['$initial'], priority: 3 },
            { name: 'i18n', test: /node_modules[\\/](pinia|vue-i18n|@intlify)[\\/]/, tags: ['$initial'], priority: 2 },
            { name: 'libraries', test: /node_modules[\\/]/, tags: ['$initial'], priority: 1 },
            { name: 'app', tags: ['$initial'] },
          ],
        },
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts'],
    setupFiles: ['src/testing/setup.ts'],
    // A screen's test mounts it whole (0.6-1.7 s each on an idle 2-core machine); make test runs the
    // files side by side with the Go build, where 5 s was seen passing by.
    testTimeout: 15_000,
  },
})
