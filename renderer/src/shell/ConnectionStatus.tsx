import type { BackendStatus } from './use-backend-status.js';

/** A small pill in the header: is the backend reachable, and which version answers. */
export function ConnectionStatus({ connection, info }: BackendStatus) {
  let tone: 'ok' | 'busy' | 'off';
  let text: string;
  let detail: string;
  switch (connection.status) {
    case 'open':
      tone = 'ok';
      text = 'Connected';
      detail = info ? `CarpDeck ${info.version} on ${info.platform} (${info.mode})` : 'Connected to the CarpDeck backend';
      break;
    case 'connecting':
      tone = 'busy';
      text = 'Connecting…';
      detail = 'Connecting to the CarpDeck backend';
      break;
    case 'reconnecting':
      tone = 'busy';
      text = 'Reconnecting…';
      detail = `Connection lost; attempt ${connection.attempt} in ${Math.ceil(connection.retryInMs / 1000)} s`;
      break;
    case 'failed':
      tone = 'off';
      text = 'Offline';
      detail = `${connection.error.message} Diagnostics of capture files still work.`;
      break;
    case 'closed':
      tone = 'off';
      text = 'Disconnected';
      detail = 'The connection to the backend was closed. Diagnostics of capture files still work.';
      break;
  }
  return (
    <span className={`status-pill ${tone}`} role="status" title={detail} data-status={connection.status}>
      <span className="status-dot" aria-hidden="true" />
      {text}
      {connection.status === 'open' && info && <span className="status-version">v{info.version}</span>}
    </span>
  );
}
