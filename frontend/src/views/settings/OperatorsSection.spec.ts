import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { NSelect } from 'naive-ui'
import type { Me, Operator } from '../../api'

const reportError = vi.hoisted(() => vi.fn())
vi.mock('../../components/errors', () => ({ reportError }))
const api = vi.hoisted(() => ({ me: vi.fn(), operators: vi.fn(), addOperator: vi.fn(), setOperatorRole: vi.fn(), removeOperator: vi.fn() }))
vi.mock('../../api', async () => ({ ...(await vi.importActual<object>('../../api/types')), AppError: Error, api }))
const { mountInApp, clickInDialog } = await import('../../testing/mountInApp')
const { default: OperatorsSection } = await import('./OperatorsSection.vue')

const full = { connections: ['read', 'write', 'delete'], operators: ['read', 'write', 'delete'], history: ['read', 'write', 'delete'] }
let me: Me
let saved: Operator[]
let w: VueWrapper | null = null
const row = (name: string) => w!.findAll('[data-testid="operator-row"]').find((r) => r.attributes('data-name') === name)!
const roleSelect = (name: string) => row(name).findComponent(NSelect)

describe('Settings → Operators', () => {
  beforeEach(async () => {
    setActivePinia(createPinia())
    me = { name: 'ada', role: 'full', listed: true, rights: full } as Me
    saved = [
      { name: 'ada', role: 'full', addedAt: '2026-12-01T08:00:00.000Z', addedBy: '' },
      { name: 'lin', role: 'limited', addedAt: '2026-12-01T09:00:00.000Z', addedBy: 'ada' },
    ] as Operator[]
    api.me.mockReset().mockImplementation(async () => me)
    api.operators.mockReset().mockImplementation(async () => saved)
    api.addOperator.mockReset().mockImplementation(async (name: string, role: string) => {
      const o = { name, role, addedAt: '2026-12-02T08:00:00.000Z', addedBy: 'ada' } as Operator
      saved = [...saved, o]
      return o
    })
    api.setOperatorRole.mockReset().mockImplementation(async (name: string, role: string) => {
      saved = saved.map((o) => (o.name === name ? { ...o, role } : o))
    })
    api.removeOperator.mockReset().mockImplementation(async (name: string) => {
      saved = saved.filter((o) => o.name !== name)
    })
  })
  afterEach(() => {
    w?.unmount()
    document.body.innerHTML = ''
  })

  it('lists the operators with their roles and who added them, marks you, and keeps the only Full operator Full', async () => {
    w = mountInApp(OperatorsSection)
    await flushPromises()
    expect(row('ada').find('[data-testid="operator-you"]').text()).toBe('you')
    expect(row('lin').find('[data-testid="operator-you"]').exists()).toBe(false)
    expect(row('lin').text()).toContain('by ada')
    expect(row('ada').text()).toContain('first operator')
    expect(w.find('[data-testid="operators-me"]').text()).toBe('You are ada, a Full operator.')
    expect(row('ada').find('[data-testid="operator-remove"]').attributes('disabled')).toBeDefined()
    expect(roleSelect('ada').props('disabled')).toBe(true)
    expect(row('lin').find('[data-testid="operator-remove"]').attributes('disabled')).toBeUndefined()
    expect(row('lin').find('[data-testid="operator-remove"]').attributes('aria-label')).toBe('Remove lin')
    expect(w.find('[data-testid="operators-last-full"]').exists()).toBe(true)
  })

  it('adds an operator with the role chosen', async () => {
    w = mountInApp(OperatorsSection)
    await flushPromises()
    await w.find('[data-testid="operator-add-name"] input').setValue('  rob ')
    w.findAllComponents(NSelect).find((s) => s.attributes('data-testid') === 'operator-add-role')!.vm.$emit('update:value', 'read-only')
    await w.find('[data-testid="operator-add"]').trigger('submit')
    await flushPromises()
    expect(api.addOperator).toHaveBeenCalledWith('rob', 'read-only')
    expect(row('rob').text()).toContain('by ada')
    expect(document.body.textContent).toContain('rob added as a Read-only operator.')
    expect((w.find('[data-testid="operator-add-name"] input').element as HTMLInputElement).value).toBe('')
  })

  it('asks before removing an operator or giving one fewer rights, not before giving more', async () => {
    w = mountInApp(OperatorsSection)
    await flushPromises()
    await row('lin').find('[data-testid="operator-remove"]').trigger('click')
    await flushPromises()
    expect(document.body.querySelector('.n-dialog')?.textContent).toContain('Remove lin?')
    clickInDialog('Keep as it is')
    await flushPromises()
    expect(api.removeOperator).not.toHaveBeenCalled()

    roleSelect('lin').vm.$emit('update:value', 'full')
    await flushPromises()
    expect(api.setOperatorRole).toHaveBeenCalledWith('lin', 'full')
    expect(roleSelect('ada').props('disabled')).toBe(false) // two Full operators now

    roleSelect('ada').vm.$emit('update:value', 'limited')
    await flushPromises()
    const dialog = [...document.body.querySelectorAll('.n-dialog')].at(-1)?.textContent
    expect(dialog).toContain('ada goes from Full to Limited.')
    expect(dialog).toContain('This is you')
    clickInDialog('Make Limited')
    await flushPromises()
    expect(api.setOperatorRole).toHaveBeenLastCalledWith('ada', 'limited')
  })

  it('greys everything out for an operator who may not change operators, and shows the service refusal', async () => {
    me = { name: 'lin', role: 'limited', listed: true, rights: { operators: ['read'] } } as Me
    w = mountInApp(OperatorsSection)
    await flushPromises()
    expect(w.find('[data-testid="operators-me"]').text()).toBe('You are lin, a Limited operator. Only a Full operator changes who may do what.')
    expect(row('lin').find('[data-testid="operator-you"]').exists()).toBe(true)
    expect(w.find('[data-testid="operator-add-button"]').attributes('disabled')).toBeDefined()
    expect(row('ada').find('[data-testid="operator-remove"]').attributes('disabled')).toBeDefined()
    expect(roleSelect('lin').props('disabled')).toBe(true)
  })

  it('someone not listed is told they may only look', async () => {
    me = { name: 'sam', role: 'read-only', listed: false, rights: { operators: ['read'] } } as Me
    w = mountInApp(OperatorsSection)
    await flushPromises()
    expect(w.find('[data-testid="operators-me"]').text()).toContain('You are sam, not an operator of this workspace: you may only look.')
  })

  it("a refused change shows the service's message", async () => {
    api.setOperatorRole.mockRejectedValue(new Error('This needs the Write right on Operators. Your role, Limited (operator ada), does not have it: ask a Full operator to change it (Settings → Operators).'))
    w = mountInApp(OperatorsSection)
    await flushPromises()
    roleSelect('lin').vm.$emit('update:value', 'full')
    await flushPromises()
    expect(reportError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('This needs the Write right on Operators.') }))
  })
})
