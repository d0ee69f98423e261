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

  // text is the message with where it happened, as the window shows it.
  get text(): string {
    return this.where ? `${this.message} (${this.where})` : this.message
  }
}

export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return new AppError(e as AppErrorData)
  // Wails rejects a failed call with new Error(what the backend's ErrorFormatter returned), which is
  // the error as JSON text (apperr.Format): it arrives as the Error's message.
  return fromText(e instanceof Error ? e.message : String(e))
}

function fromText(text: string): AppError {
  try {
    const parsed = JSON.parse(text)
    if (parsed && typeof parsed === 'object' && typeof parsed.message === 'string') return new AppError({ ...parsed, code: parsed.code ?? 'internal' })
  } catch {
    // not JSON: a plain message
  }
  return new AppError({ code: 'internal', message: text })
}

// call runs a backend call and turns any rejection into an AppError.
export async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p
  } catch (e) {
    throw toAppError(e)
  }
}
