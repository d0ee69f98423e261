// The dark theme, in a chunk of its own (App.vue imports it when the window turns dark).
export { darkTheme } from 'naive-ui'
