// The dark theme, in a chunk of its own (components/ui/palette.ts imports it when the window turns dark).
export { darkTheme } from 'naive-ui'
