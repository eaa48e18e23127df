// The control panel: nodes, their vhids and sync health, actions, and the merged event timeline.
import { useEffect, useRef, useState } from 'react';
import type { ClusterAction, ConnectInput } from '../../../shared/api/cluster-contract.js';
import { ACTION_LABEL, confirmText } from './actions.js';
import { AddNodeForm } from './AddNodeForm.js';
import { ClusterSummary } from './ClusterSummary.js';
import { DeployDialog } from './DeployDialog.js';
import { Dialog } from './Dialog.js';
import type { FollowOptions } from './follow.js';
import { ErrorNote, HostKeyWarning, isHostKeyChanged } from './HostKeyWarning.js';
import { KnownHostsPanel } from './KnownHostsPanel.js';
import { NodeCard } from './NodeCard.js';
import { browserNotifier, useFailoverNotifications, type Notifier } from './notifications.js';
import { PromptDialog } from './PromptDialog.js';
import { RunsPanel } from './RunsPanel.js';
import { apiClusterSource, toPanelError, type ClusterSource, type HostKeySource, type PanelError } from './source.js';
import { TimelinePanel } from './TimelinePanel.js';
import { useConnect } from './use-connect.js';
import { useNodes } from './use-nodes.js';
import { useRuns } from './use-runs.js';
import { useTimeline } from './use-timeline.js';
import './cluster.css';

const CLUSTER_ACTIONS: ClusterAction[] = ['failover', 'resync-states', 'push-config'];

export interface ClusterViewProps {
  source?: ClusterSource;
  notifier?: Notifier;
  /** How fast broken streams are picked up again (tests shorten it). */
  retry?: FollowOptions;
}

export function ClusterView({ source = apiClusterSource, notifier = browserNotifier, retry }: ClusterViewProps) {
  const nodes = useNodes(source, retry);
  const login = useConnect(source);
  const notifications = useFailoverNotifications(notifier);
  const timeline = useTimeline(source, notifications.consider, retry);
  const { runs, runAction, runDeploy, dismiss } = useRuns(source);
  const [persistent, setPersistent] = useState<boolean | null>(null);
  const [confirming, setConfirming] = useState<{ action: ClusterAction; node?: string; text: string } | null>(null);
  const [deployTo, setDeployTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<PanelError | null>(null);
  // bumped when a pin was replaced here, so the known hosts list reloads
  const [pins, setPins] = useState(0);
  // the key file each node was added with (a path, not a secret), so Reconnect logs in the same way
  const identities = useRef(new Map<string, string>());
  // a fresh, empty form after each successful login
  const [added, setAdded] = useState(0);
  const connectedTo = login.state.phase === 'connected' ? login.state.node : null;
  useEffect(() => {
    if (connectedTo) setAdded((n) => n + 1);
  }, [connectedTo]);

  useEffect(() => {
    source.credentials().then(
      (c) => setPersistent(c.persistent),
      () => setPersistent(null),
    );
  }, [source]);

  const act = (action: ClusterAction, node?: string) => {
    const text = confirmText(action, node);
    if (text) setConfirming({ action, node, text });
    else void runAction(action, node);
  };
  const connect = (input: ConnectInput) => {
    if (input.identity) identities.current.set(input.target, input.identity);
    else identities.current.delete(input.target);
    void login.connect(input);
  };
  const reconnect = (node: string) => {
    const identity = identities.current.get(node);
    void login.connect(identity ? { target: node, identity } : { target: node });
  };
  const trusted = (node: string) => {
    setPins((n) => n + 1);
    reconnect(node);
  };
  const call = (p: Promise<void>) => p.then(() => setProblem(null), (err: unknown) => setProblem(toPanelError(err)));

  const list = nodes.nodes ?? [];
  const s = login.state;
  return (
    <div className="cluster">
      <div className="page-head">
        <div>
          <h1>Cluster</h1>
          <p className="page-sub">Your firewalls over SSH: who is master and why, sync health, actions, and every change as it happens.</p>
        </div>
        {list.length > 0 && (
          <div className="page-actions" role="group" aria-label="Cluster actions">
            {CLUSTER_ACTIONS.map((a) => (
              <button key={a} type="button" className={a === 'failover' ? 'button danger' : 'button'} onClick={() => act(a)}>
                {ACTION_LABEL[a]}
              </button>
            ))}
          </div>
        )}
      </div>

      <AddNodeForm key={added} busy={s.phase === 'connecting' || s.phase === 'prompt'} persistent={persistent} onConnect={connect} />
      <LoginStatus state={s} onDismiss={login.dismiss} hostKeys={source.hostKeys} onTrusted={trusted} />
      {s.phase === 'prompt' && <PromptDialog target={s.target} prompt={s.prompt} onAnswer={(a) => void login.answer(a)} />}

      {nodes.error && (
        <p className="cluster-error" role="alert">
          {nodes.error.code === 'NOT_IMPLEMENTED' ? 'The control panel\'s backend is not available in this build' : 'Cannot get the nodes from the backend'}: {nodes.error.message}.
          {nodes.retryInMs !== null && ` Trying again in ${Math.ceil(nodes.retryInMs / 1000)} s.`}
        </p>
      )}
      {problem && <ErrorNote error={problem} />}

      {nodes.nodes === null && !nodes.error && <p className="empty-note">Loading the nodes…</p>}
      {nodes.nodes !== null && list.length === 0 && (
        <p className="empty-note cluster-empty">
          No nodes yet — add a firewall by its SSH address, or run <code>carpdeck lab up</code> to practise.
        </p>
      )}
      <ClusterSummary nodes={list} />
      <RunsPanel runs={runs} onDismiss={dismiss} />
      {list.map((n) => (
        <NodeCard
          key={n.id}
          node={n}
          receivedAt={nodes.receivedAt}
          onAction={act}
          onDeploy={setDeployTo}
          onDisconnect={(node) => void call(source.disconnect(node))}
          onReconnect={reconnect}
          onForgetCredential={(node) => void call(source.forgetCredential(node))}
          hostKeys={source.hostKeys}
          onTrusted={trusted}
        />
      ))}

      <TimelinePanel timeline={timeline} nodes={list.map((n) => n.id)} notifications={notifications} />
      {source.hostKeys && <KnownHostsPanel hostKeys={source.hostKeys} version={pins} />}

      {confirming && (
        <Dialog title={`${ACTION_LABEL[confirming.action]} on ${confirming.node ?? 'the cluster'}?`} role="alertdialog" tone="danger" onCancel={() => setConfirming(null)}>
          <p>{confirming.text}</p>
          <div className="cluster-dialog-actions">
            <button type="button" className="button" onClick={() => setConfirming(null)} data-autofocus>
              Cancel
            </button>
            <button
              type="button"
              className="button danger-solid"
              onClick={() => {
                setConfirming(null);
                void runAction(confirming.action, confirming.node);
              }}
            >
              {ACTION_LABEL[confirming.action]}
            </button>
          </div>
        </Dialog>
      )}
      {deployTo && (
        <DeployDialog
          node={deployTo}
          onCancel={() => setDeployTo(null)}
          onDeploy={(config, name) => {
            setDeployTo(null);
            void runDeploy(deployTo, config, name);
          }}
        />
      )}
    </div>
  );
}

interface LoginStatusProps {
  state: ReturnType<typeof useConnect>['state'];
  onDismiss(): void;
  hostKeys?: HostKeySource;
  onTrusted(node: string): void;
}

function LoginStatus({ state: s, onDismiss, hostKeys, onTrusted }: LoginStatusProps) {
  if (s.phase === 'idle' || s.phase === 'prompt') return null;
  if (s.phase === 'connecting') {
    return (
      <p className="login-status" role="status">
        Connecting to {s.target}…
      </p>
    );
  }
  if (s.phase === 'connected') {
    return (
      <p className="login-status ok" role="status">
        Connected to {s.node} (host key {s.fingerprint}).{' '}
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
    );
  }
  return (
    <div className="login-failed">
      {isHostKeyChanged(s.error) ? (
        <HostKeyWarning target={s.target} error={s.error} hostKeys={hostKeys} onTrusted={onTrusted} />
      ) : (
        <section className="panel error-panel" role="alert" aria-label={`Could not connect to ${s.target}`}>
          <h2>Could not connect to {s.target}</h2>
          <p className="error-message">{s.error.message}</p>
          {s.error.fix && (
            <p className="finding-fix">
              <strong>Fix: </strong>
              {s.error.fix}
            </p>
          )}
        </section>
      )}
      <button type="button" className="button subtle" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
