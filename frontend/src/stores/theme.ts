import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, type Theme } from '../api'

export const useTheme = defineStore('theme', () => {
  const preference = ref<Theme>('auto')

  async function load() {
    preference.value = await api.theme()
  }

  async function set(t: Theme) {
    preference.value = t
    await api.setTheme(t)
  }

  return { preference, load, set }
})
