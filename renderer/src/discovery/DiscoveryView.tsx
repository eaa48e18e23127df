import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { DiscoveryInterface } from '../../../shared/api/contract.js';
import type { DiscoverySnapshot } from '../../../shared/discovery/types.js';
import { SecretsEditor } from '../diagnostics/SecretsEditor.js';
import { parseSecrets, type SecretDraft } from '../diagnostics/secrets.js';
import { CaptureRightsHelp, CaptureRightsPanel } from './CaptureRightsPanel.js';
import { ago, clock, type LiveFinding } from './format.js';
import { RecordingBar } from './RecordingBar.js';
import { apiDiscoverySource, type DiscoverySource } from './source.js';
import { GroupsTable } from './GroupsTable.js';
import { useDiscovery, type DiscoveryState } from './use-discovery.js';
import './discovery.css';

const PROBE_SECONDS = 2;
const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

/** Live discovery: pick an interface, then see every CARP/VRRP group on it, findings and failovers as they happen. */
export function DiscoveryView({ source = apiDiscoverySource }: { source?: DiscoverySource }) {
  const { state, start, stop, record } = useDiscovery(source);
  const [drafts, setDrafts] = useState<SecretDraft[]>([]);
  const [secretErrors, setSecretErrors] = useState<string[]>([]);
  const live = state.status === 'starting' || state.status === 'live';
  // stable, so the parts of the page a snapshot does not touch are not re-rendered with every snapshot
  const draftsNow = useRef(drafts);
  draftsNow.current = drafts;
  const listen = useCallback(
    (iface: string) => {
      const parsed = parseSecrets(draftsNow.current);
      setSecretErrors(parsed.ok ? [] : parsed.errors);
      if (parsed.ok) void start(iface, parsed.secrets.length > 0 ? parsed.secrets : undefined);
    },
    [start],
  );
  return (
    <div className="discovery">
      <div className="page-head">
        <div>
          <h1>Discovery</h1>
          <p className="page-sub">Listen on an interface to see every CARP and VRRP group on the segment, who is master, and what looks wrong. Nothing is sent.</p>
        </div>
        {state.iface && (
          <div className="page-actions">
            <span className={`listening ${state.status}`} role="status">
              {live ? `Listening on ${state.iface}` : `Stopped listening on ${state.iface}`}
            </span>
            {live ? (
              <button type="button" className="button" onClick={stop}>
                Stop
              </button>
            ) : (
              <button type="button" className="button primary" onClick={() => listen(state.iface!)}>
                Listen again
              </button>
            )}
            <RecordingBar source={source} recording={state.recording} live={state.status === 'live' && state.watch !== null} error={state.recordError} onRecord={(on) => void record(on)} />
          </div>
        )}
      </div>
      <InterfacePicker source={source} current={live ? state.iface : null} onPick={listen} />
      <Secrets drafts={drafts} errors={secretErrors} onChange={setDrafts} />
      {!state.error && <CaptureRightsHelp />}
      {state.error && <CaptureError error={state.error} />}
      {state.iface && <LivePicture state={state} />}
    </div>
  );
}

const Secrets = memo(SecretsEditor);

const InterfacePicker = memo(function InterfacePicker({ source, current, onPick }: { source: DiscoverySource; current: string | null; onPick(name: string): void }) {
  const [list, setList] = useState<DiscoveryInterface[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [probing, setProbing] = useState(false);
  // a quick plain listing must not overwrite a probe's answer that arrived before it
  const requests = useRef({ sent: 0, shown: 0 });
  const load = (probeSeconds: number) => {
    const n = ++requests.current.sent;
    setProbing(probeSeconds > 0);
    source.interfaces(probeSeconds).then(
      (l) => {
        if (n < requests.current.shown) return;
        requests.current.shown = n;
        setList(l);
        setError(null);
        setProbing(false);
      },
      (err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
        setProbing(false);
      },
    );
  };
  // the list at once, then which interfaces carry HA traffic after a short listen on each
  useEffect(() => {
    load(0);
    load(PROBE_SECONDS);
  }, [source]);
  return (
    <section className="panel" aria-labelledby="discovery-interfaces">
      <div className="panel-head">
        <h2 id="discovery-interfaces">Interfaces</h2>
        <button type="button" className="button subtle" disabled={probing} onClick={() => load(PROBE_SECONDS)}>
          {probing ? 'Listening on each interface…' : 'Find HA traffic'}
        </button>
      </div>
      {error && <p className="form-errors">Cannot list the interfaces: {error}</p>}
      {list === null && !error && <p className="empty-note">Loading the interfaces…</p>}
      {list && (
        <ul className="iface-list">
          {list
            .filter((i) => !i.loopback)
            .map((i) => (
              <li key={i.name} className={i.name === current ? 'iface current' : 'iface'}>
                <button type="button" className="iface-pick" onClick={() => onPick(i.name)} aria-label={`Listen on ${i.name}`} disabled={i.state === 'down'}>
                  <span className="iface-name">{i.name}</span>
                  <span className={`link-state ${i.state}`}>{i.state === 'no-carrier' ? 'no link' : i.state}</span>
                  <span className="iface-addrs">{i.addresses.join(' · ') || 'no addresses'}</span>
                  {i.probe && <span className={i.probe.groups.length > 0 ? 'iface-hint ha' : 'iface-hint'}>{i.probe.hint}</span>}
                </button>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
});

function CaptureError({ error }: { error: NonNullable<DiscoveryState['error']> }) {
  return (
    <section className="panel error-panel" role="alert">
      <h2>Cannot listen</h2>
      <p className="error-message">{error.message}</p>
      {error.fix && <p className="finding-fix">{error.fix}</p>}
      {error.code === 'permission-denied' && <CaptureRightsPanel fix={error.fix} />}
    </section>
  );
}

function LivePicture({ state }: { state: DiscoveryState }) {
  const s = state.snapshot;
  if (!s) return <p className="empty-note">Starting the capture…</p>;
  return (
    <>
      <section className="panel" aria-labelledby="discovery-groups">
        <h2 id="discovery-groups">Groups</h2>
        {s.groups.length === 0 ? (
          <p className="empty-note">No CARP or VRRP advertisements yet. Only masters advertise, about once a second.</p>
        ) : (
          <GroupsTable groups={s.groups} now={s.time} />
        )}
        {s.nodes.length === 0 ? (
          <p className="hint">Backups never advertise: carpd nodes appear here once they announce themselves; other backups stay unknown until they take over.</p>
        ) : (
          <CarpdNodes nodes={s.nodes} now={s.time} />
        )}
      </section>
      {s.sync.length > 0 && (
        <section className="panel" aria-labelledby="discovery-sync">
          <h2 id="discovery-sync">State sync</h2>
          <ul className="sync-list">
            {s.sync.map((f) => (
              <li key={`${f.kind} ${f.src} ${f.dst}`}>
                <strong>{f.kind}</strong> {f.src} → {f.dst}: {f.packets} packets, {f.rate.toFixed(1)}/s
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel" aria-labelledby="discovery-findings">
        <h2 id="discovery-findings">Findings</h2>
        {s.findings.length === 0 ? (
          <p className="empty-note">Nothing wrong seen so far.</p>
        ) : (
          <LiveFindings findings={s.findings} />
        )}
      </section>
      <EventList events={state.events} />
    </>
  );
}

/** carpd nodes from their beacons: backups included, with where to reach them over SSH. */
function CarpdNodes({ nodes, now }: { nodes: DiscoverySnapshot['nodes']; now: number }) {
  return (
    <>
      <h3 className="nodes-head">carpd nodes</h3>
      <ul className="sync-list node-list">
        {nodes.map((n) => (
          <li key={n.name} data-node={n.name}>
            <strong>{n.name}</strong> {n.address}
            {n.address6 && n.address6 !== n.address ? ` (${n.address6})` : ''} · carpd {n.version} · {n.vhids.map((v) => `vhid ${v.vhid} ${v.role}`).join(', ')} · SSH {n.managementAddress ?? n.address}:{n.sshPort ?? 22} · {ago(now - n.lastSeen)}{' '}
            {n.verified ? (
              <span className="badge ok">verified</span>
            ) : (
              <span className="badge warning" title="Enter the vhid's password to check its signature; an unverified beacon may be forged">
                unverified
              </span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;
/** Findings shown before "Show all": a busy segment can have hundreds, and the groups matter more. */
const FINDINGS_SHOWN = 10;

/** Memoised: a busy stream repeats the same findings list (findingsOmitted) between refreshes. */
const LiveFindings = memo(function LiveFindings({ findings }: { findings: LiveFinding[] }) {
  const [showAll, setShowAll] = useState(false);
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.time - b.time);
  const shown = showAll ? sorted : sorted.slice(0, FINDINGS_SHOWN);
  return (
    <>
      <ul className="findings">
        {shown.map((f) => (
          <li key={`${f.kind} ${f.group ?? ''} ${f.time}`} className={`finding ${f.severity}`} data-kind={f.kind}>
            <div className="finding-head">
              <span className={`severity ${f.severity}`}>{SEVERITY_LABEL[f.severity]}</span>
              <span className="finding-kind">{f.kind}</span>
              <span className="finding-where">
                {f.group ?? ''} · {clock(f.time)}
              </span>
            </div>
            <p className="finding-message">{f.message}</p>
            <p className="finding-fix">
              <strong>Fix: </strong>
              {f.fix}
            </p>
          </li>
        ))}
      </ul>
      {sorted.length > FINDINGS_SHOWN && (
        <button type="button" className="button subtle show-all" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show fewer' : `Show all ${sorted.length} findings`}
        </button>
      )}
    </>
  );
});

/** Events shown before "Show all": a busy segment starts with one per group, and a long list costs every repaint. */
const EVENTS_SHOWN = 30;

/** Newest first; memoised on the event list, which changes only when an event arrives (not with each snapshot). */
const EventList = memo(function EventList({ events }: { events: DiscoveryState['events'] }) {
  const [showAll, setShowAll] = useState(false);
  const newest = events.slice(showAll ? 0 : -EVENTS_SHOWN).reverse();
  return (
    <section className="panel" aria-labelledby="discovery-events">
      <h2 id="discovery-events">Events</h2>
      <ol className="event-list">
        {newest.map((e) => (
          <li key={e.seq} className={e.kind === 'master' && e.from !== null ? 'event failover' : `event ${e.kind === 'capture' ? e.level : e.kind}`}>
            <time>{clock(e.time)}</time> {e.message}
          </li>
        ))}
      </ol>
      {events.length > EVENTS_SHOWN && (
        <button type="button" className="button subtle show-all" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show fewer' : `Show all ${events.length} events`}
        </button>
      )}
    </section>
  );
});
