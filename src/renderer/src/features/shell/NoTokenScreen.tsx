/**
 * Browser mode answers only the page that carries this run's token (new at every start, printed in
 * the terminal). Without it, or with one from an earlier run, this screen says what to do instead of
 * a lone error line.
 */
export function NoTokenScreen({ reason }: { reason: 'missing' | 'rejected' }) {
  const origin = window.location.origin
  return (
    <main className="gate">
      <section className="gate-card no-token" aria-labelledby="no-token-title">
        <h1 id="no-token-title">Open Latchkey from its link</h1>
        <p>
          {reason === 'missing'
            ? 'This page was opened without the key that lets it talk to Latchkey.'
            : 'The key this page holds belongs to an earlier start of Latchkey, so it is refused.'}{' '}
          Open the link Latchkey printed in the terminal where you started it:
        </p>
        <pre className="no-token-example">Latchkey running at {origin}/#token=…</pre>
        <p className="muted">
          The token in that link is new each time browser mode starts, so a bookmark or a link from an earlier
          start will not work. Not running? Start it with <code>npm run start:web</code>.
        </p>
      </section>
    </main>
  )
}
