import { describe, expect, it } from 'vitest';
import { parseCarpctlArgs } from '../../../daemon/cli/args.js';
import { formatEvent } from '../../../daemon/cli/format.js';
import { requestSchema } from '../../../daemon/control/protocol.js';

describe('carpctl sync-config', () => {
  it('maps push and diff to control requests carpd accepts', () => {
    for (const [word, cmd] of [['push', 'config-sync-push'], ['diff', 'config-sync-diff']]) {
      const p = parseCarpctlArgs(['sync-config', word]);
      expect(p).toMatchObject({ ok: true, req: { cmd } });
      expect(requestSchema.safeParse(p.ok && 'req' in p ? p.req : null).success).toBe(true);
    }
  });

  it('says what is missing for anything else', () => {
    expect(parseCarpctlArgs(['sync-config'])).toEqual({ ok: false, message: 'sync-config needs "push" or "diff"' });
    expect(parseCarpctlArgs(['sync-config', 'pull'])).toEqual({ ok: false, message: 'sync-config needs "push" or "diff"' });
  });

  it('prints config-sync events with what happened', () => {
    const line = formatEvent({ seq: 7, time: '2026-11-26T03:00:00Z', node: 'fw2', kind: 'config-sync', vhid: null, event: 'drift', cause: '[nftables] nftables was changed on this node' });
    expect(line).toBe('#7 2026-11-26T03:00:00Z fw2 config sync drift: [nftables] nftables was changed on this node');
  });
});
