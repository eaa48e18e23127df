// Step 5: is the pair healthy (one master per VIP, demotion 0, sync alive), then a drill the person starts: the
// primary enters and leaves maintenance (and, if allowed, loses its link) while a probe and a TCP flow run
// through the VIP; the measured interruption per phase.
import { useState } from 'react';
import type { DrillResult, VerifyResult } from '../../../shared/pairing/schema.js';
import { CheckList } from './CheckList.js';
import { ErrorNote } from './ErrorNote.js';
import { ms, PHASE_LABEL } from './labels.js';
import type { ProgressState } from './progress.js';
import { StepList } from './StepList.js';

export interface DrillRequest {
  linkLoss: boolean;
  /** Absent: the backend's default (in a CarpDeck lab, the lab's client towards its server). */
  probe?: { target: string; flowPort?: number; namespace?: string };
}

export interface VerifyStepProps {
  names: { primary: string; secondary: string };
  verify: ProgressState<VerifyResult>;
  drill: ProgressState<DrillResult>;
  onVerify(): void;
  onDrill(options: DrillRequest): void;
  onContinue(): void;
}

export function VerifyStep({ names, verify, drill, onVerify, onDrill, onContinue }: VerifyStepProps) {
  const [linkLoss, setLinkLoss] = useState(false);
  const [target, setTarget] = useState('');
  const [flowPort, setFlowPort] = useState('');
  const [namespace, setNamespace] = useState('');
  const port = flowPort.trim() === '' ? undefined : Number(flowPort);
  const probeError =
    target.trim() === ''
      ? port !== undefined || namespace.trim() !== ''
        ? 'Give the probe target too: the echo port and the namespace belong to it.'
        : null
      : !/^[A-Za-z0-9][A-Za-z0-9.:-]*$/.test(target.trim())
        ? `Probe target: "${target.trim()}" is not an IP address or host name.`
        : port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)
          ? 'TCP echo port: a whole number from 1 to 65535, or empty for no flow.'
          : null;
  const startDrill = () =>
    onDrill({
      linkLoss,
      ...(target.trim() ? { probe: { target: target.trim(), ...(port !== undefined ? { flowPort: port } : {}), ...(namespace.trim() ? { namespace: namespace.trim() } : {}) } } : {}),
    });
  const busy = verify.status === 'running' || drill.status === 'running';
  const v = verify.result;
  return (
    <div className="pair-step">
      <section className="panel" aria-labelledby="pair-verify">
        <div className="panel-head">
          <h2 id="pair-verify">Verify</h2>
          <button type="button" className="button" disabled={busy} onClick={onVerify}>
            Verify again
          </button>
        </div>
        <p role="status" className="step-summary">
          {verify.status === 'running' ? 'Checking the pair…' : v ? (v.ok ? 'The pair is healthy.' : 'The pair is not healthy yet; see the checks below.') : verify.status === 'failed' ? 'Verify did not finish.' : ''}
        </p>
        <StepList steps={verify.steps} label="Verify progress" />
        {verify.error && <ErrorNote title="Verify failed" error={verify.error} />}
        {v && (
          <>
            <table className="pair-table" aria-label="Masters">
              <thead>
                <tr>
                  <th scope="col">vhid</th>
                  <th scope="col">Master</th>
                </tr>
              </thead>
              <tbody>
                {v.masters.map((m) => (
                  <tr key={m.vhid}>
                    <td>{m.vhid}</td>
                    <td>{m.master === null ? 'none or both (see the checks)' : `${m.master} (${names[m.master]})`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <CheckList checks={v.checks} names={names} />
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="pair-drill">
        <h2 id="pair-drill">Failover drill</h2>
        <p className="hint">
          A probe and a TCP connection run through the virtual address while {names.primary} enters maintenance (the secondary takes over) and then leaves it. Traffic through the pair is interrupted briefly.
        </p>
        <div className="plan-grid">
          <label className="pair-field">
            <span>Probe target (a host behind the firewall)</span>
            <input value={target} placeholder="198.51.100.100" spellCheck={false} autoComplete="off" disabled={busy} onChange={(e) => setTarget(e.target.value)} />
          </label>
          <label className="pair-field">
            <span>TCP echo port on the target (optional)</span>
            <input type="number" value={flowPort} placeholder="7777" disabled={busy} onChange={(e) => setFlowPort(e.target.value)} />
          </label>
          <label className="pair-field">
            <span>Probe from network namespace (lab only, optional)</span>
            <input value={namespace} spellCheck={false} autoComplete="off" disabled={busy} onChange={(e) => setNamespace(e.target.value)} />
          </label>
        </div>
        <p className="hint">
          The probe runs on the computer running CarpDeck, which must sit on the LAN behind the virtual address; the TCP flow needs an echo service on the target. In a CarpDeck lab, leave these empty: the lab&apos;s client probes its server.
        </p>
        <label className="pair-toggle">
          <input type="checkbox" checked={linkLoss} disabled={busy} onChange={(e) => setLinkLoss(e.target.checked)} />
          Also simulate a link loss on the primary
        </label>
        {linkLoss && (
          <p className="warning-note" role="note">
            The primary&apos;s LAN link is taken down for a moment. Anything that uses the primary&apos;s own address on the LAN is cut off meanwhile.
          </p>
        )}
        <div className="step-actions">
          <button type="button" className="button primary" disabled={busy || !v?.ok || probeError !== null} onClick={startDrill}>
            {drill.status === 'running' ? 'Drill running…' : 'Start drill'}
          </button>
          {!v?.ok && verify.status !== 'running' && <span className="hint">The drill starts once the pair verifies healthy.</span>}
          {v?.ok && probeError && <span className="hint">{probeError}</span>}
        </div>
        <StepList steps={drill.steps} label="Drill progress" />
        {drill.error && <ErrorNote title="The drill failed" error={drill.error} />}
        {drill.result && <DrillTable result={drill.result} names={names} />}
      </section>
      <div className="step-actions">
        <button type="button" className="button primary" disabled={busy || !v} onClick={onContinue}>
          Continue to the report
        </button>
      </div>
    </div>
  );
}

function DrillTable({ result, names }: { result: DrillResult; names: { primary: string; secondary: string } }) {
  return (
    <>
      <p className={result.ok ? 'ok-note' : 'warning-note'} role="status">
        {result.ok ? 'The drill passed.' : 'The drill found a problem; see the phases below.'} Took {ms(result.finished - result.started)}.
      </p>
      <table className="pair-table" aria-label="Drill results">
        <thead>
          <tr>
            <th scope="col">Phase</th>
            <th scope="col">Interruption</th>
            <th scope="col">Probes lost</th>
            <th scope="col">TCP flow</th>
            <th scope="col">Master after</th>
          </tr>
        </thead>
        <tbody>
          {result.phases.map((p) => (
            <tr key={p.name} data-phase={p.name}>
              <th scope="row">{PHASE_LABEL[p.name] ?? p.name}</th>
              <td>{ms(p.interruptionMs)}</td>
              <td>{p.probesLost}</td>
              <td>{p.flowSurvived ? 'survived' : 'broke'}</td>
              <td>{p.newMaster ? names[p.newMaster] : 'none'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
