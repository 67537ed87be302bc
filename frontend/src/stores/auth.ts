// Who is signed in (the HttpOnly session cookie is the only credential: no token is ever stored in the page),
// role checks for the UI, sign-in/out, and what a 401 does.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, setUnauthorizedHandler, unwrap, type Schemas } from '@/api/client'
import { router } from '@/router'

export type User = Schemas['UserRead']
export type Role = 'viewer' | 'researcher' | 'admin'
const RANK: Record<Role, number> = { viewer: 0, researcher: 1, admin: 2 }

export const useAuth = defineStore('auth', () => {
  const user = ref<User | null>(null)
  const checked = ref(false)

  async function load(): Promise<User | null> {
    const { data, response } = await api.GET('/api/auth/me')
    user.value = response.ok && data ? data : null
    checked.value = true
    return user.value
  }

  async function login(username: string, password: string): Promise<User> {
    const u = await unwrap(api.POST('/api/auth/session', { body: { username, password } }))
    user.value = u
    checked.value = true
    return u
  }

  async function logout(): Promise<void> {
    await api.DELETE('/api/auth/session')
    user.value = null
    await router.push({ name: 'login', query: { reason: 'signedOut' } })
  }

  function atLeast(role: Role): boolean {
    const mine = (user.value?.role ?? 'viewer') as Role
    return user.value !== null && RANK[mine] >= RANK[role]
  }

  const canSubmit = computed(() => atLeast('researcher'))
  const isAdmin = computed(() => atLeast('admin'))

  setUnauthorizedHandler(() => {
    if (user.value === null && router.currentRoute.value.name === 'login') return
    user.value = null
    const here = router.currentRoute.value
    if (here.name !== 'login') void router.push({ name: 'login', query: { next: here.fullPath, reason: 'expired' } })
  })

  return { user, checked, load, login, logout, atLeast, canSubmit, isAdmin }
})
