import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { z } from 'zod'
import { App } from './App'
import { ensureLatchkeyApi } from './bridge/install'
import './styles.css'

// The CSP forbids eval; tell zod not to probe for it.
z.config({ jitless: true })
ensureLatchkeyApi()

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
