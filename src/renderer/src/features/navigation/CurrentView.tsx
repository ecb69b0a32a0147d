import { navigationSelectors, useNavigationStore } from './navigation-store'
import { viewById } from './views'

/** The view the sidebar points at; switching unmounts the last one, so each view loads fresh on entry. */
export function CurrentView() {
  const id = useNavigationStore(navigationSelectors.view)
  const entry = viewById(id)
  const View = entry.component
  return (
    <main className="app-main" aria-label={entry.label} data-view={entry.id}>
      <View />
    </main>
  )
}
