import { useState, type FormEvent } from 'react'
import {
  IMPORT_FORMAT_LABELS,
  IMPORT_FORMATS,
  IMPORT_TEXT_MAX_CHARS,
  type ImportFormat,
  type ImportPlan,
} from '../../../../shared/contract/transfer'
import { api, asAppError } from '../../stores/api'
import { handleLockedError } from '../../stores/vault-store'
import { toast } from '../toasts/toast-store'
import { uploadFile } from './transfer-files'

const ACTION_WORDS = { create: 'Create', update: 'Update', skip: 'Skip' } as const

/** Foreign formats name no piece; the person says which one, once. */
const NEEDS_PIECE: Record<ImportFormat, boolean> = {
  'latchkey-json': false,
  env: true,
  'bitwarden-json': true,
  'keepassxc-csv': true,
}

type Source = { text: string } | { transferId: string }

/** import.preview, then import.apply of exactly what was shown: one transaction, all or nothing. */
export function ImportSection() {
  const [format, setFormat] = useState<ImportFormat>('latchkey-json')
  const [pieceName, setPieceName] = useState('@activepieces/piece-http')
  const [file, setFile] = useState<File | null>(null)
  const [plan, setPlan] = useState<{ plan: ImportPlan; source: Source } | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const input = (source: Source) => ({
    format,
    source,
    ...(NEEDS_PIECE[format] ? { pieceName: pieceName.trim() } : {}),
  })

  async function preview(event: FormEvent) {
    event.preventDefault()
    if (!file) return
    setBusy(true)
    setError(null)
    setPlan(null)
    try {
      // Small files go inline; larger ones are staged in main first.
      const source: Source =
        file.size <= IMPORT_TEXT_MAX_CHARS / 2
          ? { text: await file.text() }
          : { transferId: await uploadFile(file) }
      setPlan({ plan: await api().import.preview(input(source)), source })
    } catch (failure) {
      handleLockedError(failure)
      setError(asAppError(failure).message)
    } finally {
      setBusy(false)
    }
  }

  async function apply() {
    if (!plan) return
    setBusy(true)
    setError(null)
    try {
      const result = await api().import.apply({ ...input(plan.source), digest: plan.plan.digest })
      setPlan(null)
      toast(`Imported: ${result.created} created, ${result.updated} updated, ${result.skipped} skipped.`)
    } catch (failure) {
      handleLockedError(failure)
      setError(asAppError(failure).message)
    } finally {
      setBusy(false)
    }
  }

  /** An uploaded file is plaintext in main's staging folder: it goes when the person cancels. */
  function cancel() {
    if (plan && 'transferId' in plan.source) {
      void api()
        .transfer.discard({ transferId: plan.source.transferId })
        .catch(() => undefined)
    }
    setPlan(null)
  }

  const counts = plan?.plan.counts
  return (
    <section className="transfer-section import-section" aria-labelledby="import-title">
      <h3 id="import-title">Import</h3>
      <p className="muted small">
        From a Latchkey or connections API JSON file, a .env file, Bitwarden&apos;s unencrypted JSON export or
        KeePassXC&apos;s CSV export. You see what will be created, updated and skipped before anything is
        written.
      </p>
      <form className="form" onSubmit={preview} noValidate>
        <div className="field">
          <label htmlFor="import-format">Format</label>
          <select
            id="import-format"
            value={format}
            onChange={(event) => {
              setFormat(event.target.value as ImportFormat)
              setPlan(null)
            }}
          >
            {IMPORT_FORMATS.map((name) => (
              <option key={name} value={name}>
                {IMPORT_FORMAT_LABELS[name]}
              </option>
            ))}
          </select>
        </div>
        {NEEDS_PIECE[format] ? (
          <div className="field">
            <label htmlFor="import-piece">Piece for these entries</label>
            <input
              id="import-piece"
              value={pieceName}
              onChange={(event) => setPieceName(event.target.value)}
            />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="import-file">File to import</label>
          <input
            id="import-file"
            type="file"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null)
              setPlan(null)
            }}
          />
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="form-footer">
          <button type="submit" disabled={busy || !file}>
            {busy && !plan ? 'Reading…' : 'Preview import'}
          </button>
        </div>
      </form>
      {plan && counts ? (
        <div className="import-preview" aria-labelledby="import-preview-title">
          <h4 id="import-preview-title" role="status">
            {counts.create} to create, {counts.update} to update, {counts.skip} to skip
          </h4>
          <table className="import-table" aria-label="What the import will do with each entry">
            <thead>
              <tr>
                <th scope="col">Entry</th>
                <th scope="col">Action</th>
                <th scope="col">Name</th>
                <th scope="col">Piece</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {plan.plan.items.map((item) => (
                <tr key={item.at} data-action={item.action}>
                  <td>{item.at}</td>
                  <td>{ACTION_WORDS[item.action]}</td>
                  <td>{item.displayName || item.externalId}</td>
                  <td>{item.pieceName}</td>
                  <td>{item.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-footer">
            <button type="button" onClick={cancel}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy || counts.create + counts.update === 0}
              onClick={() => void apply()}
            >
              {busy
                ? 'Importing…'
                : `Import ${counts.create + counts.update} ${counts.create + counts.update === 1 ? 'connection' : 'connections'}`}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  )
}
