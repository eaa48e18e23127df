import type { SecretDraft } from './secrets.js';

interface Props {
  drafts: SecretDraft[];
  errors: string[];
  onChange(drafts: SecretDraft[]): void;
}

export const EMPTY_SECRET: SecretDraft = { vhid: '', password: '', vips: '' };

/** Optional CARP passwords, so the analysis can verify each advertisement's HMAC. */
export function SecretsEditor({ drafts, errors, onChange }: Props) {
  const update = (i: number, patch: Partial<SecretDraft>) => onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <details className="secrets">
      <summary>CARP passwords for HMAC checks (optional)</summary>
      <p className="hint">
        With the password of a vhid, every advertisement's HMAC is verified. Leave the virtual IPs empty to try the
        addresses the capture reveals (gratuitous ARP, unsolicited neighbour advertisements).
      </p>
      {drafts.map((d, i) => (
        <div className="secret-row" key={i}>
          <label>
            vhid
            <input inputMode="numeric" value={d.vhid} onChange={(e) => update(i, { vhid: e.target.value })} aria-label={`Secret ${i + 1} vhid`} />
          </label>
          <label>
            Password
            <input type="password" autoComplete="off" value={d.password} onChange={(e) => update(i, { password: e.target.value })} aria-label={`Secret ${i + 1} password`} />
          </label>
          <label className="wide">
            Virtual IPs
            <input placeholder="10.0.1.1, 2001:db8::1" value={d.vips} onChange={(e) => update(i, { vips: e.target.value })} aria-label={`Secret ${i + 1} virtual IPs`} />
          </label>
          <button type="button" className="button subtle" onClick={() => onChange(drafts.filter((_, j) => j !== i))} aria-label={`Remove secret ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button subtle" onClick={() => onChange([...drafts, EMPTY_SECRET])}>
        Add a password
      </button>
      {errors.length > 0 && (
        <ul className="form-errors" role="alert">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </details>
  );
}
