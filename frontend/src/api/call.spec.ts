import { describe, expect, it } from 'vitest'
import { AppError, call, toAppError } from './call'

describe('toAppError', () => {
  it('keeps the code, message and details the backend sends', () => {
    const e = toAppError({ code: 'bad_input', message: 'users.csv line 3: blank', details: { file: 'users.csv', line: 3, column: 'givenName' } })
    expect(e).toBeInstanceOf(AppError)
    expect(e.code).toBe('bad_input')
    expect(e.message).toBe('users.csv line 3: blank')
    expect(e.where).toBe('') // the message already names the file
  })

  it('says where when the message does not', () => {
    const e = toAppError({ code: 'bad_input', message: 'a quote is not closed', details: { file: 'users.csv', line: 7, column: 'email' } })
    expect(e.where).toBe('users.csv, line 7, column email')
  })

  it('reads a JSON string and falls back to plain text', () => {
    expect(toAppError('{"code":"not_found","message":"gone"}').code).toBe('not_found')
    const plain = toAppError('boom')
    expect([plain.code, plain.message]).toEqual(['internal', 'boom'])
    expect(toAppError(new Error('bridge down')).message).toBe('bridge down')
  })

  // What Wails' runtime does with the backend's error (apperr.Format's JSON text): new Error(text).
  it('reads the backend\'s error out of the Error a failed call is rejected with', async () => {
    const sent = { code: 'bad_input', message: 'a quote is not closed', details: { file: 'users.csv', line: 7, column: 'email' } }
    const e = await call(Promise.reject(new Error(JSON.stringify(sent)))).catch((x) => x)
    expect(e).toBeInstanceOf(AppError)
    expect([e.code, e.message, e.text]).toEqual(['bad_input', 'a quote is not closed', 'a quote is not closed (users.csv, line 7, column email)'])
    expect(toAppError(new Error('method not registered')).text).toBe('method not registered')
  })

  it('call rejects with an AppError', async () => {
    await expect(call(Promise.reject({ code: 'conflict', message: 'taken' }))).rejects.toMatchObject({ code: 'conflict', message: 'taken' })
    await expect(call(Promise.resolve(3))).resolves.toBe(3)
  })
})
