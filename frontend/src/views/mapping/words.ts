import { useI18n } from 'vue-i18n'
import { useMapping } from '../../stores/mapping'

// useWords says a text of the Mapping screen in the words of the mapping's direction: on an import
// mapping, mapping.import.KEY replaces mapping.KEY where an import needs other words.
export function useWords() {
  const { t, te } = useI18n()
  const store = useMapping()
  return (key: string, named: Record<string, unknown> = {}) =>
    t(store.importing && te(`mapping.import.${key}`) ? `mapping.import.${key}` : `mapping.${key}`, named)
}
