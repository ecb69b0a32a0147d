import { BackupSection } from './BackupSection'
import { ExportSection } from './ExportSection'
import { ImportSection } from './ImportSection'
import { RestoreSection } from './RestoreSection'
import './backup.css'

/** Getting the vault out and things into it: encrypted backup and restore, plaintext export, import. */
export function BackupView() {
  return (
    <section className="view backup-view" aria-labelledby="backup-view-title">
      <h2 id="backup-view-title">Backup &amp; import</h2>
      <div className="transfer-grid">
        <BackupSection />
        <RestoreSection />
        <ExportSection />
        <ImportSection />
      </div>
    </section>
  )
}
