import { type Component } from 'vue'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../langs/en'

// mountInApp mounts a component with what the app gives it (English texts). Dialogs, modals and
// messages (components/feedback.ts) are at the end of document.body: look for them there.
export function mountInApp(component: Component, props: Record<string, unknown> = {}) {
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en } })
  return mount(component, { props, global: { plugins: [i18n] }, attachTo: document.body })
}

// clickInDialog clicks the button whose text is text in the open dialog or modal (teleported to body).
export function clickInDialog(text: string) {
  const buttons = [...document.body.querySelectorAll('.n-dialog button, .n-modal button')]
  const button = buttons.find((b) => b.textContent?.trim() === text) as HTMLElement | undefined
  if (!button) throw new Error(`no button "${text}" in a dialog: ${document.body.textContent}`)
  button.click()
}
