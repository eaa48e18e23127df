// The helper's argv: `--interface NAME [--filter ha|adverts]`, nothing else (no filter strings, no files).
import { FILTERS, type FilterName } from './messages.js';

export interface HelperArgs {
  iface: string;
  filter: FilterName;
}

const IFNAME = /^[A-Za-z0-9_.:@-]{1,64}$|^\\Device\\NPF_\{[0-9A-Fa-f-]{36}\}$/;

export function parseHelperArgs(argv: readonly string[]): HelperArgs | { error: string } {
  let iface: string | undefined;
  let filter: FilterName = 'ha';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = argv[i + 1];
    if (a === '--interface' && value !== undefined) {
      if (!IFNAME.test(value)) return { error: `"${value}" is not an interface name` };
      iface = value;
      i++;
    } else if (a === '--filter' && value !== undefined) {
      if (!Object.hasOwn(FILTERS, value)) return { error: `unknown filter "${value}": use one of ${Object.keys(FILTERS).join(', ')}` };
      filter = value as FilterName;
      i++;
    } else {
      return { error: `unexpected argument "${a}": usage: capture-helper --interface NAME [--filter ${Object.keys(FILTERS).join('|')}]` };
    }
  }
  if (!iface) return { error: 'which interface? usage: capture-helper --interface NAME' };
  return { iface, filter };
}
