// The current feature view, kept in the URL fragment as `view=…` next to the other fields (the `token=` of
// `carpdeck serve` must survive navigation and reloads), so the back button and a reload keep the view.
import { useEffect, useState } from 'react';

export type View = 'diagnostics' | 'discovery' | 'cluster' | 'pairing';

const VIEWS: readonly View[] = ['diagnostics', 'discovery', 'cluster', 'pairing'];
const DEFAULT: View = 'diagnostics';

function fields(hash: string): string[] {
  return hash.replace(/^#/, '').split('&').filter(Boolean);
}

export function viewFromHash(hash: string): View {
  for (const f of fields(hash)) {
    const v = f.startsWith('view=') ? f.slice(5) : f;
    if ((VIEWS as readonly string[]).includes(v)) return v as View;
  }
  return DEFAULT;
}

/** The fragment for `view`, with every other field of `hash` kept. */
export function hashForView(hash: string, view: View): string {
  const rest = fields(hash).filter((f) => !f.startsWith('view=') && !(VIEWS as readonly string[]).includes(f));
  return '#' + [...rest, `view=${view}`].join('&');
}

export function useHashView(): View {
  const [view, setView] = useState<View>(() => viewFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setView(viewFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return view;
}
