import type { RemoteTestResult } from '../../../../shared/contract'
import { DIALECT_LABELS, failureAdvice } from './failure-words'

/** A remote test's answer in words: what happened, and for a failure, where to look. */
export function TestResult({ result }: { result: RemoteTestResult }) {
  if (result.ok) {
    const count =
      result.connectionCount === null
        ? ''
        : ` It holds ${result.connectionCount.toLocaleString()} ${result.connectionCount === 1 ? 'connection' : 'connections'}.`
    return (
      <div className="sync-test sync-test-ok" role="status">
        <strong>It works.</strong> {DIALECT_LABELS[result.dialect]} answered in{' '}
        {result.latencyMs.toLocaleString()} ms.
        {count}
      </div>
    )
  }
  const advice = failureAdvice(result.failure)
  return (
    <div className="sync-test sync-test-failed" role="alert" data-failure={result.failure}>
      <strong>{result.message}</strong>
      {result.status !== null ? <span className="muted small"> (HTTP {result.status})</span> : null}
      {advice ? <p className="small">{advice}</p> : null}
    </div>
  )
}
