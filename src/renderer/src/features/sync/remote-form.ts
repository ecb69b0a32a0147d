import {
  addRemoteSchema,
  type AddRemoteInput,
  type Remote,
  type RemoteDialect,
  type TestRemoteInput,
  type UpdateRemoteInput,
} from '../../../../shared/contract/remotes'
import { issuesByField, issuesFor } from '../../../../shared/contract/human-issues'

/** What the remote dialog edits, as the inputs hold it. */
export interface RemoteForm {
  name: string
  dialect: RemoteDialect
  baseUrl: string
  projectId: string
  orgId: string
  /** Empty while editing means "keep the saved key": it is never read back from main. */
  apiKey: string
}

export const emptyRemoteForm = (): RemoteForm => ({
  name: '',
  dialect: 'activepieces',
  baseUrl: '',
  projectId: '',
  orgId: '',
  apiKey: '',
})

export const formOfRemote = (remote: Remote): RemoteForm => ({
  name: remote.name,
  dialect: remote.dialect,
  baseUrl: remote.baseUrl,
  projectId: remote.projectId ?? '',
  orgId: remote.orgId ?? '',
  apiKey: '',
})

/** An empty id box is "none"; the schema refuses an empty string, and an id is never blank on purpose. */
const idOrNull = (text: string) => (text.trim() === '' ? null : text.trim())

export function toAddInput(form: RemoteForm): AddRemoteInput {
  return {
    name: form.name,
    dialect: form.dialect,
    baseUrl: form.baseUrl,
    projectId: idOrNull(form.projectId),
    // Activepieces has no organisation; a value typed before switching kinds is not sent.
    orgId: form.dialect === 'weavz' ? idOrNull(form.orgId) : null,
    apiKey: form.apiKey,
  }
}

/** Only what changed goes to main, so an untouched key stays sealed as it was. */
export function toUpdateInput(remote: Remote, form: RemoteForm): UpdateRemoteInput {
  const input: UpdateRemoteInput = { id: remote.id }
  if (form.name !== remote.name) input.name = form.name
  if (form.baseUrl !== remote.baseUrl) input.baseUrl = form.baseUrl
  if (idOrNull(form.projectId) !== remote.projectId) input.projectId = idOrNull(form.projectId)
  if (remote.dialect === 'weavz' && idOrNull(form.orgId) !== remote.orgId) input.orgId = idOrNull(form.orgId)
  if (form.apiKey !== '') input.apiKey = form.apiKey
  return input
}

/**
 * What to test: the draft as typed when it carries a key; a saved remote whose key was not
 * retyped is tested by id, which only means something while its other fields are unchanged too.
 */
export function toTestInput(remote: Remote | null, form: RemoteForm): TestRemoteInput | 'needs-key' {
  if (form.apiKey !== '' || remote === null) return toAddInput(form)
  const update = toUpdateInput(remote, form)
  return Object.keys(update).length === 1 ? { id: remote.id } : 'needs-key'
}

/** The contract's own checks, run before main sees the form; while editing, an empty key is allowed. */
export function remoteFormErrors(form: RemoteForm, editing: boolean): Record<string, string> {
  const input = toAddInput(form)
  const errors = issuesByField(
    issuesFor(addRemoteSchema, editing && form.apiKey === '' ? { ...input, apiKey: 'kept' } : input),
  )
  return errors
}
