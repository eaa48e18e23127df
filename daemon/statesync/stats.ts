/** One cache's counters from `conntrackd -s`. */
export interface CacheStats {
  active: number;
  created: number;
  updated: number;
  destroyed: number;
  failed: number;
}

/** The general statistics of `conntrackd -s` (conntrackd 1.4). */
export interface ConntrackdStats {
  internal: CacheStats;
  external: CacheStats;
  packetsSent: number;
  packetsReceived: number;
  sendErrors: number;
  receiveErrors: number;
  malformed: number;
  lost: number;
}

export type StatsResult = { ok: true; stats: ConntrackdStats } | { ok: false; message: string };

function cache(section: string | undefined): CacheStats | null {
  if (section === undefined) return null;
  const num = (re: RegExp) => Number(re.exec(section)?.[1] ?? NaN);
  const failed = [...section.matchAll(/failed:\s*(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  const c = {
    active: num(/current active connections:\s*(\d+)/),
    created: num(/connections created:\s*(\d+)/),
    updated: num(/connections updated:\s*(\d+)/),
    destroyed: num(/connections destroyed:\s*(\d+)/),
    failed,
  };
  return Object.values(c).some(Number.isNaN) ? null : c;
}

export function parseStats(text: string): StatsResult {
  const internal = cache(/cache internal:([\s\S]*?)(?:\n\s*\n|$)/.exec(text)?.[1]);
  const external = cache(/cache external:([\s\S]*?)(?:\n\s*\n|$)/.exec(text)?.[1]);
  const traffic = /(?:UDP|TCP|multicast) traffic[^\n]*:\s*\n\s*\d+ Bytes sent\s+\d+ Bytes recv\s*\n\s*(\d+) Pckts sent\s+(\d+) Pckts recv\s*\n\s*(\d+) Error send\s+(\d+) Error recv/.exec(text);
  const tracking = /(\d+) Malformed msgs\s+(\d+) Lost msgs/.exec(text);
  if (!internal || !external || !traffic || !tracking) {
    return { ok: false, message: `unexpected output of conntrackd -s: ${JSON.stringify(text.slice(0, 200))}` };
  }
  return {
    ok: true,
    stats: {
      internal,
      external,
      packetsSent: Number(traffic[1]),
      packetsReceived: Number(traffic[2]),
      sendErrors: Number(traffic[3]),
      receiveErrors: Number(traffic[4]),
      malformed: Number(tracking[1]),
      lost: Number(tracking[2]),
    },
  };
}
