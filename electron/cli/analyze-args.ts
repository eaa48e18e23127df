// Arguments of `carpdeck analyze FILE [--json] [--secret VHID:PASSWORD[@VIP[,VIP...]]]...`.
import { isIP } from 'node:net';
import type { CarpSecret } from '../../shared/analysis/types.js';
import { CliError } from './command.js';

export const analyzeUsage = `usage: carpdeck analyze FILE [--json] [--secret VHID:PASSWORD[@VIP[,VIP...]]]...

Reads a pcap or pcapng capture and reports, for every CARP and VRRP group: who was master when, why each change
happened, and what looks wrong (split brain, vhid collisions, HMAC failures, bad TTL, flapping, ...), with the
likely fix. Nothing is sent on the network.

options:
  --json                 print one JSON object (adverts, sync, groups, findings, capture) instead of the report
  --secret VHID:PASSWORD[@VIP[,VIP...]]
                         check the CARP HMAC of vhid VHID with PASSWORD and the vhid's virtual addresses; without
                         @VIP the address sets the capture reveals (gratuitous ARP / unsolicited NA) are tried.
                         Repeat for several vhids.
  --help                 show this help

exit status: 0 report printed; 1 the file could not be read completely (not a capture, truncated: the report of
the packets before the damage is still printed); 2 bad arguments.`;

export interface AnalyzeArgs {
  file?: string;
  json: boolean;
  secrets: CarpSecret[];
  help: boolean;
}

export function parseAnalyzeArgs(argv: string[]): AnalyzeArgs {
  const args: AnalyzeArgs = { json: false, secrets: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name === '--json') args.json = true;
    else if (name === '--help' || name === '-h') args.help = true;
    else if (name === '--secret') {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new CliError('analyze: --secret needs a value: --secret VHID:PASSWORD[@VIP[,VIP...]], e.g. --secret 1:s3cret@10.0.1.1');
      args.secrets.push(parseSecret(value));
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new CliError(`analyze: unknown option "${arg}"; run "carpdeck analyze --help" for the options`);
    } else if (args.file === undefined) args.file = arg;
    else throw new CliError(`analyze: one capture file at a time ("${args.file}" and "${arg}" given)`);
  }
  return args;
}

/**
 * VHID:PASSWORD[@VIP[,VIP...]]. The password may contain ':' and '@'; the text after the last '@' is taken as the
 * VIP list when it looks like addresses (digits, hex, '.', ':', ','), and must then be valid addresses.
 */
export function parseSecret(text: string): CarpSecret {
  const where = `--secret "${text}"`;
  const colon = text.indexOf(':');
  if (colon < 0) throw new CliError(`analyze: ${where} has no password; write it as VHID:PASSWORD[@VIP[,VIP...]], e.g. 1:s3cret@10.0.1.1`);
  const vhidText = text.slice(0, colon);
  if (!/^\d+$/.test(vhidText) || Number(vhidText) < 1 || Number(vhidText) > 255) {
    throw new CliError(`analyze: ${where}: "${vhidText}" is not a vhid; use a number from 1 to 255 before the colon`);
  }
  let password = text.slice(colon + 1);
  let vips: string[] | undefined;
  const at = password.lastIndexOf('@');
  if (at >= 0 && /^[0-9a-fA-F.:,]+$/.test(password.slice(at + 1))) {
    vips = password.slice(at + 1).split(',');
    for (const vip of vips) {
      if (isIP(vip) === 0) throw new CliError(`analyze: ${where}: "${vip}" is not an IPv4 or IPv6 address; list the vhid's virtual addresses after @, separated by commas`);
    }
    vips = vips.map(normaliseIp);
    password = password.slice(0, at);
  }
  if (password === '') throw new CliError(`analyze: ${where} has an empty password; write it as VHID:PASSWORD[@VIP[,VIP...]]`);
  const secret: CarpSecret = { vhid: Number(vhidText), password };
  if (vips) secret.vips = vips;
  return secret;
}

/** The address as the decoder prints it (lower-case, compressed IPv6), so it compares equal to capture addresses. */
function normaliseIp(ip: string): string {
  if (isIP(ip) === 4) return ip;
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}
