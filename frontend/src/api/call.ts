import type { AppErrorData } from './types'

// AppError is every failure of a backend call: the Go side sends {code, message, details}; anything
// else (a dropped bridge, a bug) becomes code "internal" with its text.
export class AppError extends Error {
  readonly code: string
  readonly details: AppErrorData['details']

  constructor(data: AppErrorData) {
    super(data.message)
    this.name = 'AppError'
    this.code = data.code
    this.details = data.details ?? null
  }

  // where says which file, line and column the problem is at, when the backend knows and the
  // message does not already say so.
  get where(): string {
    const d = this.details
    if (!d?.file || this.message.startsWith(d.file)) return ''
    return [d.file, d.line ? `line ${d.line}` : '', d.column ? `column ${d.column}` : ''].filter(Boolean).join(', ')
  }
}

export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return new AppError(e as AppErrorData)
  if (typeof e === 'string') {
    try {
      const parsed = JSON.parse(e)
      if (parsed && typeof parsed === 'object' && 'message' in parsed) return new AppError({ code: parsed.code ?? 'internal', ...parsed })
    } catch {
      // not JSON: a plain message
    }
    return new AppError({ code: 'internal', message: e })
  }
  return new AppError({ code: 'internal', message: e instanceof Error ? e.message : String(e) })
}

// call runs a backend call and turns any rejection into an AppError.
export async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p
  } catch (e) {
    throw toAppError(e)
  }
}
