import { useState } from 'react';
import { ConnectionStatus } from './shell/ConnectionStatus.js';
import { useBackendStatus, useLatestNotice } from './shell/use-backend-status.js';
import { NoticeBanner } from './shell/NoticeBanner.js';
import { DiagnosticsView } from './diagnostics/DiagnosticsView.js';
import { DiscoveryView } from './discovery/DiscoveryView.js';
import { ClusterView } from './cluster/ClusterView.js';
import { PairingView } from './pairing/PairingView.js';
import { hashForView, useHashView, type View } from './shell/use-hash-view.js';
import './app.css';

const VIEWS: { id: View; label: string }[] = [
  { id: 'discovery', label: 'Discovery' },
  { id: 'cluster', label: 'Cluster' },
  { id: 'pairing', label: 'Pair nodes' },
  { id: 'diagnostics', label: 'Diagnostics' },
];

/** The shell: product header with the backend status, the feature nav, and the current feature. */
export function App() {
  const status = useBackendStatus();
  const notice = useLatestNotice();
  const view = useHashView();
  // Live views start only once visited; they then stay mounted so switching keeps their state.
  const [discoveryOpened, setDiscoveryOpened] = useState(false);
  if (view === 'discovery' && !discoveryOpened) setDiscoveryOpened(true);
  const [clusterOpened, setClusterOpened] = useState(false);
  if (view === 'cluster' && !clusterOpened) setClusterOpened(true);
  const [pairingOpened, setPairingOpened] = useState(false);
  if (view === 'pairing' && !pairingOpened) setPairingOpened(true);
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <svg className="brand-mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <rect x="2" y="4" width="20" height="6" rx="1.5" />
            <rect x="2" y="14" width="20" height="6" rx="1.5" />
            <circle cx="6" cy="7" r="1.2" className="led" />
            <circle cx="6" cy="17" r="1.2" className="led" />
          </svg>
          <span className="brand-name">CarpDeck</span>
          <span className="brand-tag">firewall HA toolkit</span>
        </div>
        <nav className="app-nav" aria-label="Features">
          {VIEWS.map((v) => (
            <a key={v.id} href={hashForView(window.location.hash, v.id)} className={view === v.id ? 'active' : undefined} aria-current={view === v.id ? 'page' : undefined}>
              {v.label}
            </a>
          ))}
        </nav>
        <ConnectionStatus {...status} />
      </header>
      <NoticeBanner notice={notice} />
      <main className="app-main" id="diagnostics" hidden={view !== 'diagnostics'}>
        <DiagnosticsView />
      </main>
      {clusterOpened && (
        <main className="app-main" id="cluster" hidden={view !== 'cluster'}>
          <ClusterView />
        </main>
      )}
      {pairingOpened && (
        <main className="app-main" id="pairing" hidden={view !== 'pairing'}>
          <PairingView />
        </main>
      )}
      {discoveryOpened && (
        <main className="app-main" id="discovery" hidden={view !== 'discovery'}>
          <DiscoveryView />
        </main>
      )}
    </div>
  );
}
