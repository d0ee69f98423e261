import { computed, shallowRef, watch, type Ref } from 'vue'
import { commonLight, type GlobalTheme, type GlobalThemeOverrides } from 'naive-ui'

// The window's colours. The first screen (the shell, the dashboard's cards) is drawn with plain
// elements (ui/*.vue) coloured by CSS variables from Naive UI's own theme, so the window paints before
// any of Naive UI's components is loaded; every other screen uses Naive UI's components under
// Themed.vue, with the same theme.

// Naive UI's light colours are too pale for text (grey hints 4.2:1, green 3.4:1, orange 2.2:1 on
// white): these keep its hues, dark enough for WCAG AA's 4.5:1 on white and on their own tints, hovered
// too (a hovered button's text, or white on a hovered green button: 4.7:1).
const light: GlobalThemeOverrides = {
  common: {
    textColor3: '#60656b',
    primaryColor: '#0c7a43', primaryColorHover: '#0e8549', primaryColorPressed: '#075e33', primaryColorSuppl: '#0e8549',
    successColor: '#0c7a43', successColorHover: '#0e8549', successColorPressed: '#075e33', successColorSuppl: '#0e8549',
    warningColor: '#985700', warningColorHover: '#a65f00', warningColorPressed: '#7a4600', warningColorSuppl: '#a65f00',
    errorColor: '#c02040', errorColorHover: '#d03050', errorColorPressed: '#9c1832', errorColorSuppl: '#d03050',
    infoColor: '#1060c9', infoColorHover: '#2070e0', infoColorPressed: '#0b4ca0', infoColorSuppl: '#2070e0',
  },
  Empty: { textColor: '#60656b' }, // its description was the disabled grey (1.8:1)
  // A tag's text sits on its own tint, often in a tinted row (a selected pair, a differing field).
  Tag: { textColorWarning: '#7a4600', textColorSuccess: '#075e33', textColorError: '#9c1832', textColorInfo: '#0b4ca0', textColorPrimary: '#075e33' },
}
// Naive UI's dark theme reads well but for an empty list's description (2.9:1 on a dialog).
const darkOverrides: GlobalThemeOverrides = { Empty: { textColor: '#a0a0a6' } }

const dark = shallowRef(false)
// The dark theme (styles for every component) loads only when asked for: the first paint is sooner.
const darkTheme = shallowRef<GlobalTheme | null>(null)

// followDark makes the window follow dark (the user's choice or the system's); the app calls it once.
export function followDark(want: Ref<boolean>) {
  watch(want, async (d) => {
    dark.value = d
    if (d && !darkTheme.value) darkTheme.value = (await import('../../darkTheme')).darkTheme
  }, { immediate: true })
}

// Until the dark theme has loaded, the window stays light.
const shownDark = computed(() => dark.value && darkTheme.value !== null)

// What Naive UI's config provider is given (Themed.vue, and the messages and dialogs of feedback.ts).
// Each kind of component gets its theme once, as a class, instead of some fifty CSS variables set on
// every element.
export const naiveTheme = computed(() => ({
  theme: shownDark.value ? darkTheme.value : null,
  themeOverrides: shownDark.value ? darkOverrides : light,
  inlineThemeDisabled: true,
}))

type Common = typeof commonLight
const tagText = light.Tag as Record<string, string>

// cssVars are the colours the plain elements use (buttons are default, primary, warning or error;
// tags and text any kind), set on the document's root element.
export const cssVars = computed(() => {
  const c: Common = shownDark.value ? { ...darkTheme.value!.common!, ...darkOverrides.common } : { ...commonLight, ...light.common }
  const tag = (kind: 'Primary' | 'Success' | 'Warning' | 'Error' | 'Info', color: string) => (shownDark.value ? color : tagText[`textColor${kind}`])
  return {
    '--body': c.bodyColor, '--card': c.cardColor, '--action': c.actionColor,
    '--text2': c.textColor2, '--text3': c.textColor3,
    '--border': c.dividerColor, '--control-border': c.borderColor, '--hover': c.hoverColor, '--tag': c.tagColor, '--rail': c.railColor,
    '--button2': c.buttonColor2, '--button2-hover': c.buttonColor2Hover, '--button2-pressed': c.buttonColor2Pressed,
    '--on-color': c.baseColor, '--opacity-disabled': c.opacityDisabled,
    '--primary': c.primaryColor, '--primary-hover': c.primaryColorHover, '--primary-pressed': c.primaryColorPressed, '--primary-tag': tag('Primary', c.primaryColor),
    '--success': c.successColor, '--success-tag': tag('Success', c.successColor),
    '--warning': c.warningColor, '--warning-hover': c.warningColorHover, '--warning-pressed': c.warningColorPressed, '--warning-tag': tag('Warning', c.warningColor),
    '--error': c.errorColor, '--error-hover': c.errorColorHover, '--error-pressed': c.errorColorPressed, '--error-tag': tag('Error', c.errorColor),
    '--info': c.infoColor, '--info-tag': tag('Info', c.infoColor),
  }
})
