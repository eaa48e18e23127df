import { ConnectionStatus } from './shell/ConnectionStatus.js';
import { useBackendStatus, useLatestNotice } from './shell/use-backend-status.js';
import { NoticeBanner } from './shell/NoticeBanner.js';
import { DiagnosticsView } from './diagnostics/DiagnosticsView.js';
import './app.css';

/** The shell: product header with the backend status, the feature nav, and the current feature. */
export function App() {
  const status = useBackendStatus();
  const notice = useLatestNotice();
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
          <a href="#diagnostics" className="active" aria-current="page">
            Diagnostics
          </a>
        </nav>
        <ConnectionStatus {...status} />
      </header>
      <NoticeBanner notice={notice} />
      <main className="app-main" id="diagnostics">
        <DiagnosticsView />
      </main>
    </div>
  );
}
