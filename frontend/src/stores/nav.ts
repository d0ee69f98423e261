import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ConnectionCard, Direction, Run } from '../api'

export type View = 'dashboard' | 'roster' | 'history' | 'wizard'
export const WIZARD_STEPS = ['schools', 'classes', 'users', 'plan', 'sync', 'status'] as const
export type WizardStep = (typeof WIZARD_STEPS)[number]

// WizardTarget is what the selection wizard opens on: a connection, the way its runs go, the step to
// start at, and a held run to review (opened from a held result or from the history).
export interface WizardTarget {
  card: ConnectionCard
  direction: Direction
  step: WizardStep
  heldRun: Run | null
}

// directionOf is the way a connection's runs go: a target receives exports, anything else is imported.
export const directionOf = (card: ConnectionCard): Direction => (card.role === 'target' ? 'export' : 'import')

// useNav is which view the window shows; the wizard is a view of its own, reached from a card or a run.
export const useNav = defineStore('nav', () => {
  const view = ref<View>('dashboard')
  const wizard = ref<WizardTarget | null>(null)

  function go(v: View) {
    view.value = v
  }

  function openWizard(card: ConnectionCard, step: WizardStep = 'schools', direction = directionOf(card), heldRun: Run | null = null) {
    wizard.value = { card, direction, step, heldRun }
    view.value = 'wizard'
  }

  function closeWizard() {
    wizard.value = null
    view.value = 'dashboard'
  }

  return { view, wizard, go, openWizard, closeWizard }
})
