// Step 3: the proposed cluster, editable, with what each node's files become. Nothing is applied until the
// person has looked at the changes and confirmed.
import { useEffect, useId, useState } from 'react';
import type { ClusterPlan, NodeChange, PlanVip } from '../../../shared/pairing/schema.js';
import { ErrorNote } from './ErrorNote.js';
import { roleName } from './labels.js';
import { randomPassword } from './password.js';
import { addIpv6Vip, cleanPlan, draftErrors, groupLabels, isIpv6Vip, roleLabel, vipTextError } from './plan-draft.js';
import { errorOf, type PairingError } from './progress.js';
import type { PairingApi } from './source.js';

interface Checked {
  plan: ClusterPlan;
  changes: NodeChange[];
  problems: string[];
}

export interface PlanStepProps {
  api: PairingApi;
  pairing: string;
  names: { primary: string; secondary: string };
  overrides: string[];
  onBack(): void;
  onApply(plan: ClusterPlan): void;
}

export function PlanStep({ api, pairing, names, overrides, onBack, onApply }: PlanStepProps) {
  const [checked, setChecked] = useState<Checked | null>(null);
  const [draft, setDraft] = useState<ClusterPlan | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PairingError | null>(null);
  const [confirmed, setConfirmed] = useState(false);

  const check = async (plan?: ClusterPlan) => {
    setBusy(true);
    setError(null);
    try {
      let r = await api.plan({ pairing, plan });
      const missing = overrides.filter((o) => !r.plan.overrides.includes(o));
      if (!plan && missing.length > 0) r = await api.plan({ pairing, plan: { ...r.plan, overrides: [...r.plan.overrides, ...missing] } });
      setChecked(r);
      setDraft(r.plan);
      setConfirmed(false);
    } catch (e) {
      setError(errorOf(e));
    }
    setBusy(false);
  };
  useEffect(() => void check(), [api, pairing]);

  if (!draft || !checked) {
    return (
      <div className="pair-step">
        <section className="panel">
          <h2>Plan</h2>
          {error ? <ErrorNote title="Cannot propose a plan" error={error} /> : <p role="status">Working out a plan from the preflight…</p>}
          <div className="step-actions">
            <button type="button" className="button" onClick={onBack}>
              Back
            </button>
            {error && (
              <button type="button" className="button" onClick={() => void check()}>
                Try again
              </button>
            )}
          </div>
        </section>
      </div>
    );
  }

  const dirty = JSON.stringify(cleanPlan(draft)) !== JSON.stringify(checked.plan);
  const errors = draftErrors(draft);
  const canApply = !dirty && !busy && errors.length === 0 && checked.problems.length === 0 && confirmed;
  const set = (p: Partial<ClusterPlan>) => setDraft({ ...draft, ...p });
  const setVip = (i: number, v: Partial<PlanVip>) => set({ vips: draft.vips.map((x, j) => (j === i ? { ...x, ...v } : x)) });

  return (
    <div className="pair-step">
      <section className="panel" aria-labelledby="pair-plan">
        <h2 id="pair-plan">Plan</h2>
        <p className="hint">Proposed from the preflight. Change anything, then check the changes again before applying.</p>
        <div className="plan-grid">
          <TextField label="Cluster name" value={draft.name} onChange={(name) => set({ name })} />
        </div>
        {draft.vips.map((v, i) => (
          <VipGroup key={i} vip={v} label={groupLabels(draft.vips)[i]} names={names} onChange={(p) => setVip(i, p)} />
        ))}
        <AddIpv6Vip roles={[...new Set(draft.vips.map((v) => v.role))]} onAdd={(role, address, own) => setDraft(addIpv6Vip(draft, role, address, own, randomPassword))} />
        <fieldset className="plan-group">
          <legend>Priorities and sync</legend>
          <div className="plan-grid">
            <NumberField label="Primary advskew" value={draft.advskew.primary} onChange={(n) => set({ advskew: { ...draft.advskew, primary: n } })} />
            <NumberField label="Secondary advskew" value={draft.advskew.secondary} onChange={(n) => set({ advskew: { ...draft.advskew, secondary: n } })} />
            <TextField
              label="Primary sync address"
              value={draft.sync.addresses.primary}
              note={`interface ${draft.sync.interfaces.primary}`}
              onChange={(a) => set({ sync: { ...draft.sync, addresses: { ...draft.sync.addresses, primary: a } } })}
            />
            <TextField
              label="Secondary sync address"
              value={draft.sync.addresses.secondary}
              note={`interface ${draft.sync.interfaces.secondary}`}
              onChange={(a) => set({ sync: { ...draft.sync, addresses: { ...draft.sync.addresses, secondary: a } } })}
            />
          </div>
          <label className="pair-toggle">
            <input type="checkbox" checked={draft.stateSync} onChange={(e) => set({ stateSync: e.target.checked })} />
            State sync: copy connection states to the secondary, so open connections survive a failover
          </label>
          <label className="pair-toggle">
            <input type="checkbox" checked={draft.configSync} onChange={(e) => set({ configSync: e.target.checked })} />
            Config sync: keep the secondary&apos;s firewall rules the same as the primary&apos;s
          </label>
          {draft.overrides.length > 0 && <p className="hint">Overridden preflight checks: {draft.overrides.join(', ')}.</p>}
        </fieldset>
        {errors.length > 0 && (
          <ul className="form-errors" aria-label="Errors in the plan">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
        <div className="step-actions">
          <button type="button" className="button" disabled={!dirty || busy || errors.length > 0} onClick={() => void check(cleanPlan(draft))}>
            {busy ? 'Checking…' : 'Check the changes'}
          </button>
          {dirty && <span className="hint">Edited: check the changes to see the new files.</span>}
        </div>
        {error && <ErrorNote title="Cannot check the plan" error={error} />}
      </section>
      {checked.problems.length > 0 && (
        <section className="panel pair-problems" role="alert" aria-label="Problems with the plan">
          <h2>Problems with the plan</h2>
          <ul>
            {checked.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel" aria-labelledby="pair-diff">
        <h2 id="pair-diff">What changes on each firewall</h2>
        {checked.changes.length === 0 && <p className="empty-note">The files are shown once the plan has no problems.</p>}
        {checked.changes.map((c) => (
          <NodeDiff key={c.role} change={c} title={roleName(c.role, names)} secrets={checked.plan.vips.map((v) => v.password)} />
        ))}
      </section>
      <section className="panel confirm-panel">
        <label className="pair-toggle">
          <input type="checkbox" checked={confirmed} disabled={dirty} onChange={(e) => setConfirmed(e.target.checked)} />
          I have reviewed the changes on both firewalls
        </label>
        <div className="step-actions">
          <button type="button" className="button" onClick={onBack}>
            Back
          </button>
          <button type="button" className="button primary" disabled={!canApply} onClick={() => onApply(checked.plan)}>
            Apply to both firewalls
          </button>
        </div>
      </section>
    </div>
  );
}

function VipGroup({ vip, label: r, names, onChange }: { vip: PlanVip; label: string; names: { primary: string; secondary: string }; onChange(p: Partial<PlanVip>): void }) {
  const [shown, setShown] = useState(false);
  const pw = useId();
  const kept = vip.kept === true;
  const v6 = vip.vips.filter(isIpv6Vip);
  return (
    <fieldset className="plan-group">
      <legend>{r} virtual address</legend>
      <p className="hint">
        On {names.primary}: {vip.interfaces.primary} · on {names.secondary}: {vip.interfaces.secondary}
      </p>
      {kept && (
        <p className="kept-note" role="note" aria-label={`${r} group kept`}>
          Kept: both firewalls run this group now (vhid {vip.vhid}); its vhid, password, interval and addresses stay as they are, so it keeps running through the
          apply.{' '}
          <button type="button" className="button subtle" onClick={() => onChange({ kept: false })}>
            Change the {r} group
          </button>
        </p>
      )}
      <div className="plan-grid">
        <TextField label={`VIPs for ${r}`} value={vip.vips.join(', ')} disabled={kept} onChange={(t) => onChange({ vips: t.split(/[\s,]+/) })} />
        <NumberField label={`vhid for ${r}`} value={vip.vhid} disabled={kept} onChange={(vhid) => onChange({ vhid })} />
        <NumberField label={`Advertisement interval for ${r} (seconds)`} value={vip.advbase} disabled={kept} onChange={(advbase) => onChange({ advbase })} />
        <div className="pair-field">
          <label htmlFor={pw}>Password for {r}</label>
          <div className="password-row">
            <input id={pw} type={shown ? 'text' : 'password'} value={vip.password} disabled={kept} autoComplete="off" spellCheck={false} onChange={(e) => onChange({ password: e.target.value })} />
            <button type="button" className="button subtle" aria-pressed={shown} aria-label={`Show the ${r} password`} onClick={() => setShown(!shown)}>
              {shown ? 'Hide' : 'Show'}
            </button>
            <button type="button" className="button subtle" disabled={kept} aria-label={`Regenerate the ${r} password`} onClick={() => onChange({ password: randomPassword() })}>
              Regenerate
            </button>
          </div>
        </div>
      </div>
      {v6.length > 0 && (
        <p className="hint">
          Not probed: the wizard does not check whether another host answers for {v6.join(', ')}; make sure none does (<code>carpdeck pair --vip6</code> pings it
          from the primary).
        </p>
      )}
    </fieldset>
  );
}

function AddIpv6Vip({ roles, onAdd }: { roles: PlanVip['role'][]; onAdd(role: PlanVip['role'], address: string, ownVhid: boolean): void }) {
  const [role, setRole] = useState<PlanVip['role']>(roles[0] ?? 'lan');
  const [address, setAddress] = useState('');
  const [own, setOwn] = useState(false);
  const [wrong, setWrong] = useState<string | undefined>();
  const segment = useId();
  if (roles.length === 0) return null;
  const add = () => {
    const text = address.trim();
    const error = !isIpv6Vip(text) ? `"${text}" is not an IPv6 address with a prefix length (e.g. 2001:db8:1::1/64)` : vipTextError(text);
    setWrong(error);
    if (error) return;
    onAdd(roles.includes(role) ? role : roles[0], text, own);
    setAddress('');
  };
  return (
    <fieldset className="plan-group">
      <legend>Add an IPv6 virtual address</legend>
      <p className="hint">Both firewalls need an IPv6 address in its prefix on that segment. It joins the segment&apos;s group (one vhid for both families) unless that group is kept or you ask for a vhid of its own.</p>
      <div className="plan-grid">
        <div className="pair-field">
          <label htmlFor={segment}>Segment for the IPv6 VIP</label>
          <select id={segment} value={role} onChange={(e) => setRole(e.target.value as PlanVip['role'])}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <TextField label="IPv6 VIP" value={address} note="e.g. 2001:db8:1::1/64" onChange={setAddress} />
      </div>
      <label className="pair-toggle">
        <input type="checkbox" checked={own} onChange={(e) => setOwn(e.target.checked)} />
        In a vhid of its own
      </label>
      {wrong && (
        <ul className="form-errors" aria-label="Error in the IPv6 VIP">
          <li>IPv6 VIP: {wrong}.</li>
        </ul>
      )}
      <div className="step-actions">
        <button type="button" className="button" disabled={address.trim() === ''} onClick={add}>
          Add the IPv6 VIP
        </button>
      </div>
    </fieldset>
  );
}

function NumberField({ label, value, disabled, onChange }: { label: string; value: number; disabled?: boolean; onChange(n: number): void }) {
  return (
    <label className="pair-field">
      <span>{label}</span>
      <input type="number" value={Number.isNaN(value) ? '' : value} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))} />
    </label>
  );
}

function TextField({ label, value, note, disabled, onChange }: { label: string; value: string; note?: string; disabled?: boolean; onChange(v: string): void }) {
  const id = useId();
  return (
    <div className="pair-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} disabled={disabled} spellCheck={false} autoComplete="off" aria-describedby={note ? `${id}-note` : undefined} onChange={(e) => onChange(e.target.value)} />
      {note && <small id={`${id}-note`}>{note}</small>}
    </div>
  );
}

/** The files a node gets; the VIP passwords are masked here as in the form. */
function NodeDiff({ change, title, secrets }: { change: NodeChange; title: string; secrets: string[] }) {
  const mask = (line: string) => secrets.reduce((l, s) => (s ? l.split(s).join('•'.repeat(8)) : l), line);
  return (
    <section className="node-diff" aria-label={`Changes on ${title}`}>
      <h3>{title}</h3>
      {change.files.length === 0 && <p className="empty-note">Nothing changes.</p>}
      {change.files.map((f) => (
        <details key={f.path} open>
          <summary>
            <code>{f.path}</code> {f.before === null ? '(new file)' : '(changed)'}
          </summary>
          <pre className="diff">
            {f.diff.split('\n').map((line, i) => (
              <span key={i} className={line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : undefined}>
                {mask(line)}
                {'\n'}
              </span>
            ))}
          </pre>
        </details>
      ))}
    </section>
  );
}
