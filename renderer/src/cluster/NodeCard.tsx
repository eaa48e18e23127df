// One firewall: its SSH connection, carpd's version and demotion, per vhid the state and why, sync health, and
// the actions that act on it.
import type { ClusterAction, ClusterNode } from '../../../shared/api/cluster-contract.js';
import { ACTION_LABEL } from './actions.js';
import { ErrorNote, HostKeyWarning, isHostKeyChanged } from './HostKeyWarning.js';
import type { HostKeySource } from './source.js';
import { useNow } from './use-now.js';

type Carpd = NonNullable<ClusterNode['carpd']>;
type Vhid = Carpd['vhids'][number];
type Sync = NonNullable<Carpd['stateSync']>;

const DESTRUCTIVE = new Set<ClusterAction>(['maintenance-on', 'failover', 'restart']);

/** The node's actions: maintenance on or off (whichever changes something; both while carpd's state is unknown), then the rest. */
function nodeActions(carpd: ClusterNode['carpd']): ClusterAction[] {
  const maintenance: ClusterAction[] = carpd?.running ? [carpd.maintenance ? 'maintenance-off' : 'maintenance-on'] : ['maintenance-on', 'maintenance-off'];
  return [...maintenance, 'failover', 'restart', 'resync-states', 'push-config'];
}

export interface NodeCardProps {
  node: ClusterNode;
  /** When this node's status arrived, for the retry countdown. */
  receivedAt: number;
  onAction(action: ClusterAction, node: string): void;
  onDeploy(node: string): void;
  onDisconnect(node: string): void;
  onReconnect(node: string): void;
  onForgetCredential(node: string): void;
  /** Where a changed host key can be replaced after checking it; onTrusted then connects again. */
  hostKeys?: HostKeySource;
  onTrusted?(node: string): void;
}

export function NodeCard({ node, receivedAt, onAction, onDeploy, onDisconnect, onReconnect, onForgetCredential, hostKeys, onTrusted }: NodeCardProps) {
  const ready = node.connection.state === 'ready';
  return (
    <section className="panel node-card" aria-label={`Node ${node.id}`} data-node={node.id}>
      <div className="node-head">
        <h2>
          <span className="node-id">{node.id}</span>
          {node.carpd?.name && <span className="node-name">{node.carpd.name}</span>}
        </h2>
        <ConnectionBadge node={node} receivedAt={receivedAt} />
      </div>
      <p className="node-meta">
        {node.fingerprint && (
          <span title="SSH host key, as OpenSSH prints it">
            host key <code>{node.fingerprint}</code>
          </span>
        )}
        {node.credentialSaved && (
          <span>
            credential saved{' '}
            <button type="button" className="link-button" onClick={() => onForgetCredential(node.id)}>
              Forget saved credential
            </button>
          </span>
        )}
      </p>
      {node.connection.error &&
        (isHostKeyChanged(node.connection.error) ? (
          <HostKeyWarning target={node.id} error={node.connection.error} hostKeys={hostKeys} onTrusted={onTrusted} />
        ) : (
          <ErrorNote error={node.connection.error} />
        ))}
      <CarpdStatus carpd={node.carpd} ready={ready} />
      <div className="node-actions" role="group" aria-label={`Actions on ${node.id}`}>
        {nodeActions(node.carpd).map((a) => (
          <button key={a} type="button" className={DESTRUCTIVE.has(a) ? 'button danger' : 'button'} disabled={!ready} onClick={() => onAction(a, node.id)}>
            {ACTION_LABEL[a]}
          </button>
        ))}
        <button type="button" className="button primary" disabled={!ready} onClick={() => onDeploy(node.id)}>
          Deploy carpd…
        </button>
        {(node.connection.state === 'failed' || node.connection.state === 'closed') && (
          <button type="button" className="button" onClick={() => onReconnect(node.id)}>
            Reconnect
          </button>
        )}
        <button type="button" className="button subtle" onClick={() => onDisconnect(node.id)}>
          Disconnect
        </button>
      </div>
    </section>
  );
}

function ConnectionBadge({ node, receivedAt }: { node: ClusterNode; receivedAt: number }) {
  const c = node.connection;
  const now = useNow(c.state === 'backoff');
  let text: string;
  switch (c.state) {
    case 'ready':
      text = 'Connected';
      break;
    case 'connecting':
      text = 'Connecting…';
      break;
    case 'backoff': {
      const left = c.retryInMs === undefined ? null : Math.max(0, Math.ceil((receivedAt + c.retryInMs - now) / 1000));
      text = left === null ? 'Connection lost, retrying' : left === 0 ? 'Retrying now…' : `Connection lost, retrying in ${left} s`;
      break;
    }
    case 'failed':
      text = 'Connection failed';
      break;
    case 'closed':
      text = 'Disconnected';
      break;
  }
  return (
    <span className={`conn-state ${c.state}`} role="status" data-state={c.state}>
      {text}
    </span>
  );
}

function CarpdStatus({ carpd, ready }: { carpd: ClusterNode['carpd']; ready: boolean }) {
  if (!carpd) return <p className="empty-note">{ready ? 'Asking carpd for its status…' : 'carpd status appears once connected.'}</p>;
  return (
    <div className={ready ? 'carpd-status' : 'carpd-status stale'}>
      {!ready && <p className="hint stale-note">Last status seen before the connection dropped: it may be out of date.</p>}
      {carpd.error && <ErrorNote error={carpd.error} />}
      <dl className="carpd-facts">
        <div>
          <dt>carpd</dt>
          <dd>
            {carpd.running ? 'running' : 'not running'}
            {carpd.version && ` · version ${carpd.version}`}
          </dd>
        </div>
        <div>
          <dt>Maintenance</dt>
          <dd className={carpd.maintenance ? 'maintenance on' : 'maintenance'}>{carpd.maintenance ? 'on (bowed out)' : 'off'}</dd>
        </div>
        <div>
          <dt>Demotion</dt>
          <dd>
            {carpd.demotion === 0 ? (
              'none'
            ) : (
              <>
                {carpd.demotion}
                <ul className="demotion-reasons" aria-label="Demotion reasons">
                  {Object.entries(carpd.demotionReasons).map(([why, n]) => (
                    <li key={why}>
                      {why}: +{n}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </dd>
        </div>
      </dl>
      {carpd.vhids.length > 0 && <VhidTable vhids={carpd.vhids} />}
      <div className="sync-health">
        <SyncLine label="State sync" sync={carpd.stateSync} />
        <SyncLine label="Config sync" sync={carpd.configSync} />
      </div>
    </div>
  );
}

export function StateBadge({ state }: { state: Vhid['state'] }) {
  const mark = state === 'MASTER' ? '●' : state === 'BACKUP' ? '○' : '◌';
  return (
    <span className={`carp-state ${state.toLowerCase()}`}>
      <span aria-hidden="true">{mark} </span>
      {state}
    </span>
  );
}

function VhidTable({ vhids }: { vhids: Vhid[] }) {
  return (
    <table className="groups-table vhid-table">
      <thead>
        <tr>
          <th>vhid</th>
          <th>State</th>
          <th>Why</th>
          <th>VIPs</th>
          <th>Timers</th>
          <th>Master seen</th>
        </tr>
      </thead>
      <tbody>
        {vhids.map((v) => (
          <tr key={v.vhid} data-vhid={v.vhid} data-state={v.state}>
            <td>
              {v.vhid} <span className="muted">{v.interface}</span>
            </td>
            <td>
              <StateBadge state={v.state} />
            </td>
            <td className="why">{v.why}</td>
            <td className="mono">{v.vips.join(', ')}</td>
            <td>
              advbase {v.advbase} · advskew {v.advskew}
              {v.demotion > 0 && ` · demotion ${v.demotion}`}
            </td>
            <td className="mono">{v.master ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SyncLine({ label, sync }: { label: string; sync: Sync | null }) {
  if (!sync) {
    return (
      <p className="sync-line">
        <strong>{label}:</strong> <span className="muted">not configured</span>
      </p>
    );
  }
  return (
    <div className={sync.healthy ? 'sync-line healthy' : 'sync-line unhealthy'}>
      <p>
        <strong>{label}:</strong> <span className="sync-verdict">{sync.healthy ? '✓ healthy' : '✗ unhealthy'}</span> — {sync.summary}
      </p>
      {sync.details.length > 0 && (
        <details>
          <summary>Details</summary>
          <ul>
            {sync.details.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
