import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ConnectionCard, Direction, Run } from '../api'

export type View = 'dashboard' | 'integrations' | 'roster' | 'conflicts' | 'duplicates' | 'history' | 'settings' | 'wizard' | 'mapping' | 'verify'
export const WIZARD_STEPS = ['schools', 'classes', 'users', 'plan', 'sync', 'status'] as const
export type WizardStep = (typeof WIZARD_STEPS)[number]

// WizardTarget is what the selection wizard opens on: a connection, the way its runs go, the step to
// start at, a held run to review (opened from a held result or from the history), and the integration
// whose selection it edits (0: the connection's own of that direction).
export interface WizardTarget {
  card: ConnectionCard
  direction: Direction
  step: WizardStep
  heldRun: Run | null
  integrationId: number
}

// MappingOf is what the Mapping view opens on: an integration, or a connection's own (its card).
export interface MappingOf {
  integrationId: number
  connectionId: number
}

// directionOf is the way a connection's runs go: a target receives exports, anything else is imported.
export const directionOf = (card: ConnectionCard): Direction => (card.role === 'target' ? 'export' : 'import')

// Guard is what a view holding work not saved yet (the wizard) tells the window: the question asked
// before leaving it (true: leave), and whether there is work that leaving would lose.
interface Guard {
  ask: () => Promise<boolean>
  unsaved: () => boolean
}

// useNav is which view the window shows; the wizard is a view of its own, reached from a card or a run.
// A view holding work not saved yet sets a guard, asked before the window leaves it or quits.
export const useNav = defineStore('nav', () => {
  const view = ref<View>('dashboard')
  const wizard = ref<WizardTarget | null>(null)
  const leaving = shallowRef<Guard | null>(null)
  const mappingTarget = ref<MappingOf>({ integrationId: 0, connectionId: 0 }) // what the Mapping view opens on (none: its first)
  const historyRun = ref(0) // the run the History view opens on (0: none), taken by the view
  const help = ref(false) // the Help panel is open

  // guard sets the guard of the current view; it returns the function removing it.
  function guard(ask: Guard['ask'], unsaved: Guard['unsaved']) {
    const g = { ask, unsaved }
    leaving.value = g
    return () => {
      if (leaving.value === g) leaving.value = null
    }
  }

  // unsaved: the view shown holds work not saved, which quitting the window would lose.
  const unsaved = computed(() => leaving.value?.unsaved() ?? false)
  const mayLeave = async () => !leaving.value || (await leaving.value.ask())

  async function go(v: View) {
    if (v !== view.value && (await mayLeave())) view.value = v
  }

  async function openWizard(card: ConnectionCard, step: WizardStep = 'schools', direction = directionOf(card), heldRun: Run | null = null, integrationId = 0) {
    if (!(await mayLeave())) return
    wizard.value = { card, direction, step, heldRun, integrationId }
    view.value = 'wizard'
  }

  async function closeWizard() {
    if (!(await mayLeave())) return
    wizard.value = null
    view.value = 'dashboard'
  }

  // openMapping shows the Mapping view on an integration's mapping, or on a connection's own
  // integration's (from its card on the dashboard).
  async function openMapping(connectionId: number, integrationId = 0) {
    if (!(await mayLeave())) return
    mappingTarget.value = { integrationId, connectionId }
    view.value = 'mapping'
  }

  // openHistory shows the History view with one run open (from the dashboard's last import).
  async function openHistory(runId: number) {
    if (!(await mayLeave())) return
    historyRun.value = runId
    view.value = 'history'
  }

  return { view, wizard, mappingTarget, historyRun, help, unsaved, guard, mayLeave, go, openWizard, closeWizard, openMapping, openHistory }
})
