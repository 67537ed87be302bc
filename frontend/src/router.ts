// Routes (each page loaded lazily), the sign-in guard (to /login and back afterwards) and role-gated pages.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuth, type Role } from '@/stores/auth'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    role?: Role
    title?: string
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/pages/LoginPage.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('@/layouts/AppLayout.vue'),
    children: [
      { path: '', name: 'overview', component: () => import('@/pages/OverviewPage.vue'), meta: { title: 'common.nav.overview' } },
      { path: 'training', name: 'train', component: () => import('@/pages/TrainPage.vue'), meta: { title: 'common.nav.submit', role: 'researcher' } },
      { path: 'jobs', name: 'jobs', component: () => import('@/pages/JobsPage.vue'), meta: { title: 'common.nav.jobs' } },
      { path: 'jobs/:id(\\d+)', name: 'job', component: () => import('@/pages/JobPage.vue'), props: true, meta: { title: 'common.nav.jobs' } },
      { path: 'experiments', name: 'runs', component: () => import('@/pages/RunsPage.vue'), meta: { title: 'common.nav.experiments' } },
      { path: 'experiments/compare', name: 'compare', component: () => import('@/pages/ComparePage.vue'), meta: { title: 'common.nav.experiments' } },
      { path: 'experiments/runs/:runId([0-9a-f]{32})', name: 'run', component: () => import('@/pages/RunPage.vue'), props: true, meta: { title: 'common.nav.experiments' } },
      { path: 'datasets', name: 'datasets', component: () => import('@/pages/DatasetsPage.vue'), meta: { title: 'common.nav.datasets' } },
      { path: 'datasets/:id(\\d+)', name: 'dataset', component: () => import('@/pages/DatasetPage.vue'), props: true, meta: { title: 'common.nav.datasets' } },
      { path: 'factors', name: 'factors', component: () => import('@/pages/FactorsPage.vue'), meta: { title: 'common.nav.factors' } },
      { path: 'factors/:id(\\d+)', name: 'factor', component: () => import('@/pages/FactorPage.vue'), props: true, meta: { title: 'common.nav.factors' } },
      { path: 'factors/evaluations/:eid(\\d+)', name: 'factor-evaluation', component: () => import('@/pages/FactorEvaluationPage.vue'), props: true, meta: { title: 'common.nav.factors' } },
      { path: 'factor-sets', name: 'factor-sets', component: () => import('@/pages/FactorSetsPage.vue'), meta: { title: 'common.nav.factorSets' } },
      { path: 'factor-sets/:id(\\d+)', name: 'factor-set', component: () => import('@/pages/FactorSetPage.vue'), props: true, meta: { title: 'common.nav.factorSets' } },
      { path: 'benchmarks', name: 'benchmarks', component: () => import('@/pages/BenchmarksPage.vue'), meta: { title: 'common.nav.benchmarks' } },
      { path: 'benchmarks/:id(\\d+)', name: 'benchmark', component: () => import('@/pages/BenchmarkPage.vue'), props: true, meta: { title: 'common.nav.benchmarks' } },
      { path: 'models', name: 'models', component: () => import('@/pages/ModelsPage.vue'), meta: { title: 'common.nav.models' } },
      { path: 'models/:name([^/]+)', name: 'model', component: () => import('@/pages/ModelPage.vue'), props: true, meta: { title: 'common.nav.models' } },
      { path: 'models/:name([^/]+)/versions/:version(\\d+)', name: 'model-version', component: () => import('@/pages/ModelVersionPage.vue'), props: true, meta: { title: 'common.nav.models' } },
      { path: 'admin', name: 'admin', component: () => import('@/pages/AdminPage.vue'), meta: { title: 'common.nav.admin', role: 'admin' } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('@/pages/NotFoundPage.vue') },
    ],
  },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const auth = useAuth()
  if (!auth.checked || auth.user === null) await auth.load()
  if (auth.user === null) return { name: 'login', query: { next: to.fullPath, reason: 'required' } }
  if (to.meta.role && !auth.atLeast(to.meta.role)) return { name: 'overview' }
  return true
})
