import { formatDiff, formatPush } from './format.js';
import type { ConfigSync, ConfigSyncEvent } from './service.js';
import type { ConfigSyncStatusWire } from './status.js';

/** What carpd's control socket needs from config sync: `status`, `sync-config push` and `sync-config diff`. */
export interface ConfigSyncControl {
  status(): ConfigSyncStatusWire;
  push(): Promise<{ ok: boolean; message: string }>;
  diff(): Promise<{ ok: boolean; message: string }>;
}

export function configSyncControl(sync: ConfigSync): ConfigSyncControl {
  return {
    status: () => sync.status(),
    push: async () => {
      const r = await sync.push();
      return { ok: r.ok, message: formatPush(r) };
    },
    diff: async () => {
      const r = await sync.diff();
      return r.ok ? { ok: true, message: formatDiff(r.value) } : { ok: false, message: `diff failed (${r.error.code}): ${r.error.message}` };
    },
  };
}

/** The cause line of a config-sync event in carpd's event log. */
export function eventCause(e: ConfigSyncEvent): string {
  return e.sections.length > 0 && !e.cause.startsWith(e.sections.join(', ')) ? `[${e.sections.join(', ')}] ${e.cause}` : e.cause;
}
