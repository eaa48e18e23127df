import type { CarpSecret } from '../../../shared/analysis/types.js';

/** One editable row of the secrets form, as typed. */
export interface SecretDraft {
  vhid: string;
  password: string;
  vips: string;
}

export type SecretsResult = { ok: true; secrets: CarpSecret[] } | { ok: false; errors: string[] };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;

function looksLikeIp(text: string): boolean {
  return IPV4.test(text) || (text.includes(':') && IPV6.test(text) && (text.match(/::/g) ?? []).length <= 1);
}

/** Validates the rows the user filled in (blank rows are ignored); each error names the row and the field. */
export function parseSecrets(drafts: SecretDraft[]): SecretsResult {
  const secrets: CarpSecret[] = [];
  const errors: string[] = [];
  drafts.forEach((d, i) => {
    const row = `Secret ${i + 1}`;
    if (!d.vhid.trim() && !d.password && !d.vips.trim()) return;
    const vhid = Number(d.vhid.trim());
    if (!/^\d+$/.test(d.vhid.trim()) || vhid < 1 || vhid > 255) errors.push(`${row}: vhid must be a number from 1 to 255.`);
    if (!d.password) errors.push(`${row}: enter the CARP password for vhid ${d.vhid.trim() || '?'}.`);
    const vips = d.vips.split(/[\s,]+/).filter(Boolean);
    const bad = vips.filter((v) => !looksLikeIp(v));
    if (bad.length) errors.push(`${row}: ${bad.map((v) => `"${v}"`).join(', ')} is not an IPv4 or IPv6 address.`);
    secrets.push(vips.length ? { vhid, password: d.password, vips } : { vhid, password: d.password });
  });
  return errors.length ? { ok: false, errors } : { ok: true, secrets };
}
