// `USER@HOST[:PORT]` as on the command line (IPv6 in brackets: root@[2001:db8::1]:22).
import { SshError } from './errors.js';

export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

export function parseTarget(text: string): SshTarget {
  const m = /^(?:([^@\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[3] === undefined ? 22 : Number(m[3]);
  if (!m || port < 1 || port > 65535) throw new SshError('bad-target', `"${text}" is not USER@HOST or USER@HOST:PORT (e.g. root@192.0.2.10)`, text);
  return { user: m[1] ?? 'root', host: m[2].replace(/^\[|\]$/g, ''), port };
}

export const targetLabel = (t: SshTarget): string => `${t.user}@${t.host.includes(':') ? `[${t.host}]` : t.host}${t.port === 22 ? '' : `:${t.port}`}`;
