import { AppInfoBadge } from './features/shell/AppInfoBadge'

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Latchkey</h1>
        <AppInfoBadge />
      </header>
      <main className="app-main">
        <p>Your app connections, kept locally and encrypted.</p>
      </main>
    </div>
  )
}
