// The registry API as the model pages use it: typed calls for models, versions, aliases, policies and the history.
import { api, unwrap } from '@/api/client'
import type { DecisionRead, EventRead, ModelDetail, ModelRead, PolicyRead, VersionDetail } from '@/utils/models'

export function listModels(): Promise<ModelRead[]> {
  return unwrap(api.GET('/api/models'))
}

export function getModel(name: string): Promise<ModelDetail> {
  return unwrap(api.GET('/api/models/{name}', { params: { path: { name } } }))
}

export function getVersion(name: string, version: number): Promise<VersionDetail> {
  return unwrap(api.GET('/api/models/{name}/versions/{version}', { params: { path: { name, version } } }))
}

export function modelHistory(name: string): Promise<EventRead[]> {
  return unwrap(api.GET('/api/models/{name}/history', { params: { path: { name } } }))
}

export function listPolicies(): Promise<PolicyRead[]> {
  return unwrap(api.GET('/api/model-policies'))
}

export function editNotes(name: string, version: number, notes: string): Promise<VersionDetail> {
  return unwrap(api.PATCH('/api/models/{name}/versions/{version}', { params: { path: { name, version } }, body: { notes } }))
}

/** Point an alias at a version (through the gate where a policy guards it); throws the API's refusal. */
export function promote(name: string, alias: string, version: number, overrideReason: string | null): Promise<{ decision: DecisionRead | null }> {
  const body = overrideReason === null ? { version } : { version, override_reason: overrideReason }
  return unwrap(api.POST('/api/models/{name}/aliases/{alias}', { params: { path: { name, alias } }, body }))
}

export function removeAlias(name: string, alias: string, reason: string | null): Promise<unknown> {
  const query = reason ? { reason } : {}
  return unwrap(api.DELETE('/api/models/{name}/aliases/{alias}', { params: { path: { name, alias }, query } }))
}

/** A run's model as the next version of `name`; `isNew` makes the model (POST /api/models). */
export function registerRun(name: string, runId: string, notes: string, isNew: boolean): Promise<VersionDetail> {
  return isNew
    ? unwrap(api.POST('/api/models', { body: { name, run_id: runId, notes } }))
    : unwrap(api.POST('/api/models/{name}/versions', { params: { path: { name } }, body: { run_id: runId, notes } }))
}
