import { onBeforeUnmount, onMounted, watch } from 'vue'
import { api } from '../api'
import { reportError } from '../components/errors'
import { useNav } from '../stores/nav'

// useWindowClose makes quitting the window (its close button, Alt+F4, Cmd+Q) ask what leaving the
// view does: the backend keeps the window open while the view holds work not saved and asks here;
// once the registrar saves or discards, the window quits; Stay keeps it.
export function useWindowClose() {
  const nav = useNav()
  watch(() => nav.unsaved, (unsaved) => api.setUnsaved(unsaved).catch(reportError))

  async function asked() {
    api.closeHeard().catch(reportError)
    if (await nav.mayLeave()) await api.quit().catch(reportError)
  }
  let off = () => {}
  onMounted(() => (off = api.onCloseAsked(asked)))
  onBeforeUnmount(() => off())
}
