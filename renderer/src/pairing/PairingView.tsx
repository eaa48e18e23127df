// The pairing wizard: two Linux firewalls to a verified HA pair. Connect → Preflight → Plan → Apply → Verify and
// drill → Report. Nothing is written to a firewall before the person confirms the plan.
import { useEffect, useState } from 'react';
import type { ClusterPlan, DrillResult, PreflightReport, VerifyResult } from '../../../shared/pairing/schema.js';
import { ApplyStep } from './ApplyStep.js';
import { ConnectStep } from './ConnectStep.js';
import { ErrorNote } from './ErrorNote.js';
import { PlanStep } from './PlanStep.js';
import { PreflightStep } from './PreflightStep.js';
import { errorOf, useProgress, type PairingError } from './progress.js';
import { ReportStep } from './ReportStep.js';
import { apiPairingSource, type PairingApi, type PairingSource } from './source.js';
import { VerifyStep } from './VerifyStep.js';
import './pairing.css';

export type WizardStep = 'connect' | 'preflight' | 'plan' | 'apply' | 'verify' | 'report';

const STEPS: { id: WizardStep; label: string }[] = [
  { id: 'connect', label: 'Connect' },
  { id: 'preflight', label: 'Preflight' },
  { id: 'plan', label: 'Plan' },
  { id: 'apply', label: 'Apply' },
  { id: 'verify', label: 'Verify & drill' },
  { id: 'report', label: 'Report' },
];

export function PairingView({ source = apiPairingSource }: { source?: PairingSource }) {
  const [api, setApi] = useState<PairingApi | null>(null);
  const [apiError, setApiError] = useState<PairingError | null>(null);
  const [step, setStep] = useState<WizardStep>('connect');
  const [nodes, setNodes] = useState({ primary: '', secondary: '' });
  const [pairing, setPairing] = useState<string | null>(null);
  const [overrides, setOverrides] = useState<string[]>([]);
  const preflight = useProgress<PreflightReport>();
  const apply = useProgress<{ applied: boolean }>();
  const verify = useProgress<VerifyResult>();
  const drill = useProgress<DrillResult>();

  useEffect(() => {
    // the client is a callable proxy: wrapped, or React would call it as a state updater
    source.pairing().then(
      (client) => setApi(() => client),
      (e: unknown) => setApiError(errorOf(e)),
    );
  }, [source]);

  const runPreflight = (id: string, accepted: string[]) =>
    api && void preflight.run((signal) => api.preflight({ pairing: id, overrides: accepted.length > 0 ? accepted : undefined }, { signal }));
  const runVerify = (id: string) => api && void verify.run((signal) => api.verify({ pairing: id }, { signal }));

  const start = async (): Promise<PairingError | null> => {
    if (!api) return apiError ?? { code: 'connecting', message: 'Not connected to the CarpDeck backend yet.', fix: 'Wait a moment and try again.' };
    try {
      const { pairing: id } = await api.start(nodes);
      setPairing(id);
      setOverrides([]);
      setStep('preflight');
      runPreflight(id, []);
      return null;
    } catch (e) {
      return errorOf(e);
    }
  };

  const applyPlan = (plan: ClusterPlan) => {
    if (!api || !pairing) return;
    setStep('apply');
    void apply.run((signal) => api.apply({ pairing, plan }, { signal }));
  };

  const current = STEPS.findIndex((s) => s.id === step);
  return (
    <section className="pairing-view" aria-label="Pairing">
      <div className="page-head">
        <div>
          <h1>Pair two firewalls</h1>
          <p className="page-sub">Turns two Linux firewalls reachable over SSH into a verified HA pair: checks both, proposes a plan you can edit, applies it on both at once, then proves failover with a drill.</p>
        </div>
      </div>
      <ol className="wizard-steps" aria-label="Pairing steps">
        {STEPS.map((s, i) => (
          <li key={s.id} className={i < current ? 'done' : i === current ? 'current' : undefined} aria-current={i === current ? 'step' : undefined}>
            <span className="wizard-num">{i + 1}</span> {s.label}
          </li>
        ))}
      </ol>
      {apiError && <ErrorNote title="Not connected to the backend" error={apiError} />}
      {step === 'connect' && <ConnectStep source={source} primary={nodes.primary} secondary={nodes.secondary} onPick={(role, n) => setNodes((x) => ({ ...x, [role]: n }))} onStart={start} />}
      {step === 'preflight' && api && pairing && (
        <PreflightStep
          api={api}
          pairing={pairing}
          names={nodes}
          progress={preflight.state}
          overrides={overrides}
          onOverrides={setOverrides}
          onRun={() => runPreflight(pairing, overrides)}
          onBack={() => {
            preflight.reset();
            setStep('connect');
          }}
          onContinue={() => setStep('plan')}
        />
      )}
      {step === 'plan' && api && pairing && <PlanStep api={api} pairing={pairing} names={nodes} overrides={overrides} onBack={() => setStep('preflight')} onApply={applyPlan} />}
      {step === 'apply' && (
        <ApplyStep
          progress={apply.state}
          onBack={() => setStep('plan')}
          onContinue={() => {
            setStep('verify');
            if (pairing) runVerify(pairing);
          }}
        />
      )}
      {step === 'verify' && pairing && (
        <VerifyStep
          names={nodes}
          verify={verify.state}
          drill={drill.state}
          onVerify={() => runVerify(pairing)}
          onDrill={(request) => api && void drill.run((signal) => api.drill({ pairing, ...request }, { signal }))}
          onContinue={() => setStep('report')}
        />
      )}
      {step === 'report' && api && pairing && <ReportStep api={api} pairing={pairing} onBack={() => setStep('verify')} />}
    </section>
  );
}
