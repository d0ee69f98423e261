import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from './langs'
import { reportError } from './components/errors'
import './style.css'

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
// Anything that escapes a component reaches the user as a message, never as a silent failure.
app.config.errorHandler = (err) => reportError(err)
window.addEventListener('unhandledrejection', (e) => reportError(e.reason))
app.mount('#app')
