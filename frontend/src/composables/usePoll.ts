// Refresh on a timer without polling storms: never faster than once a second, paused while the tab is hidden
// (and refreshed once when it shows again), stopped with the component.
import { onBeforeUnmount, onMounted } from 'vue'

export const MIN_INTERVAL_MS = 1000

export function usePoll(fn: () => Promise<unknown> | unknown, intervalMs: number, opts: { immediate?: boolean } = {}) {
  const every = Math.max(MIN_INTERVAL_MS, intervalMs)
  let timer: ReturnType<typeof setTimeout> | undefined
  let running = false
  let stopped = false

  async function tick(): Promise<void> {
    if (stopped || running) return
    if (document.hidden) return // the visibility handler resumes us
    running = true
    try {
      await fn()
    } catch {
      // a page shows its own errors; the timer goes on
    } finally {
      running = false
      schedule()
    }
  }

  function schedule(): void {
    clearTimeout(timer)
    if (!stopped && !document.hidden) timer = setTimeout(tick, every)
  }

  function onVisibility(): void {
    if (document.hidden) clearTimeout(timer)
    else void tick()
  }

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility)
    if (opts.immediate !== false) void tick()
    else schedule()
  })
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
    document.removeEventListener('visibilitychange', onVisibility)
  })

  return { refresh: tick }
}
