// Follows one job (an ingest or a universe) until it ends: GET /api/train/{id} every ~1.5 s through usePoll (never
// faster than once a second, paused in a hidden tab), nothing requested while no job is followed.
import { computed, ref } from 'vue'
import { api, errorMessage, type Schemas, unwrap } from '@/api/client'
import { usePoll } from '@/composables/usePoll'
import { isFinal } from '@/utils/datasets'

type Job = Schemas['JobRead']

export function useFollowJob(onEnd: (job: Job) => void, intervalMs = 1500) {
  const job = ref<Job | null>(null)
  const error = ref('')
  const pending = computed(() => job.value !== null && !isFinal(job.value.state))

  const { refresh } = usePoll(async () => {
    const j = job.value
    if (!j || isFinal(j.state)) return
    try {
      const next = await unwrap(api.GET('/api/train/{job_id}', { params: { path: { job_id: j.id } } }))
      if (job.value?.id !== next.id) return
      job.value = next
      error.value = ''
      if (isFinal(next.state)) onEnd(next)
    } catch (e) {
      error.value = errorMessage(e)
    }
  }, intervalMs)

  function follow(j: Job): void {
    job.value = j
    error.value = ''
    if (isFinal(j.state)) onEnd(j)
  }

  function reset(): void {
    job.value = null
    error.value = ''
  }

  return { job, error, pending, follow, reset, refresh }
}
