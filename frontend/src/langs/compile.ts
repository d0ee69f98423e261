import { baseCompile, type ResourceNode } from '@intlify/message-compiler'

// The messages are compiled when the app is built (vite.config.ts), so the window neither ships
// vue-i18n's message compiler nor runs it on the first screen's few dozen messages: a message is
// kept as the tree vue-i18n would make of it on first use. A message vue-i18n could not read stops
// the build, naming it.
export type Messages = { [key: string]: string | Messages }
export type Compiled = { [key: string]: ResourceNode | Compiled }

export function compileMessages(messages: Messages, file: string, path = ''): Compiled {
  const out: Compiled = {}
  for (const [key, value] of Object.entries(messages)) {
    const at = path ? `${path}.${key}` : key
    if (typeof value !== 'string') {
      out[key] = compileMessages(value, file, at)
      continue
    }
    const { ast } = baseCompile(value, {
      jit: true, minify: true, location: false,
      onError: (e) => { throw new Error(`${file}: the message ${at} cannot be read (${e.message}): ${JSON.stringify(value)}`) },
    })
    out[key] = ast
  }
  return out
}
