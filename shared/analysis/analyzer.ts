// The offline analyser: feed it every frame of a capture in order (with its decode), then ask for the report.
// State is bounded per group and per source; only the rows the report must list grow with the capture, and the
// caller can stream those out instead (onAdvert / onSync with keepRows: false).
import type { Frame } from '../capture/types.js';
import type { DecodedFrame } from '../protocol/types.js';
import { CollisionCheck } from './collision.js';
import { FindingLog, type FindingEntry } from './finding-log.js';
import { Group } from './group.js';
import { HmacCheck } from './hmac-check.js';
import { observe, type Observation } from './observation.js';
import { checkAdvert, checkProblem } from './packet-checks.js';
import { advertRow, syncRow } from './rows.js';
import { VipOverlapCheck } from './vip-overlap.js';
import type { AdvertRow, AnalysisReport, CaptureSummary, CarpSecret, GroupSummary, HmacResult, SyncRow } from './types.js';

/** Rows held back while their HMAC waits for the capture to reveal the address set, at most. */
const MAX_PENDING = 4096;

export interface AnalyzerOptions {
  secrets?: CarpSecret[];
  /** Called with every advertisement row, in file order. */
  onAdvert?: (row: AdvertRow) => void;
  /** Called with every pfsync/conntrackd row, in file order. */
  onSync?: (row: SyncRow) => void;
  /** Keep the rows in the report (default true); set false when streaming them through the callbacks. */
  keepRows?: boolean;
}

export interface FinishInfo {
  format?: CaptureSummary['format'];
  /** Why reading stopped early, when it did. */
  error?: CaptureSummary['error'];
}

export interface Analyzer {
  feed(frame: Frame, decoded: DecodedFrame | null): void;
  finish(info?: FinishInfo): AnalysisReport;
}

interface Pending {
  row: AdvertRow;
  o: Observation;
  hmac: HmacResult | null;
}

export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const keepRows = options.keepRows ?? true;
  const log = new FindingLog();
  const hmac = new HmacCheck(options.secrets ?? []);
  const collisions = new CollisionCheck(log);
  const vipOverlap = new VipOverlapCheck(log);
  const groups = new Map<string, Group>();
  const adverts: AdvertRow[] = [];
  const sync: SyncRow[] = [];
  const linkTypes = new Set<number>();
  const queue: Pending[] = [];
  /** Per group: a source whose HMAC verified and one whose did not. */
  const hmacSources = new Map<string, { ok?: string; bad?: string }>();
  let packets = 0;
  let firstTime: number | null = null;
  let lastTime: number | null = null;
  let lastLinkType = -1;

  function emit(row: AdvertRow, o: Observation, result: HmacResult | null): void {
    if (o.ha.kind === 'carp') {
      row.hmac = result ?? 'bad';
      if (row.hmac !== 'unknown') noteHmac(o, row.hmac === 'ok');
    }
    options.onAdvert?.(row);
    if (keepRows) adverts.push(row);
  }

  function noteHmac(o: Observation, ok: boolean): void {
    let s = hmacSources.get(o.groupId);
    if (!s) {
      s = {};
      hmacSources.set(o.groupId, s);
    }
    if (ok) s.ok ??= o.src;
    else s.bad ??= o.src;
    if (s.ok && s.bad && s.ok !== s.bad) collisions.hmacSplit(o, s.ok, s.bad);
    if (ok) return;
    const searched = hmac.searches(o.vhid);
    log.note(`hmac-failure:${o.groupId}:${o.src}`, o.time, o.frame, () => ({
      kind: 'hmac-failure',
      severity: 'error',
      vhid: o.vhid,
      group: o.groupId,
      render: (e: FindingEntry) => ({
        message: `${e.count} CARP advertisement${e.count === 1 ? '' : 's'} from ${o.src} in ${o.groupId} failed the HMAC check with the given secret${searched ? ' and every address set the capture revealed' : ''}. Peers drop them, so each node thinks it is alone and becomes master.`,
        fix: searched
          ? `Check the password, and name the vhid's virtual addresses: --secret ${o.vhid}:PASSWORD@VIP[,VIP...] (the HMAC covers every address of the vhid, IPv4 and IPv6).`
          : 'Both nodes need the same password (only its first 19 bytes count) and exactly the same set of virtual addresses on the vhid; an extra alias or an IPv6 address on one side breaks it. ucarp authenticates only with a single IPv4 VIP.',
      }),
    }));
  }

  function drain(final: boolean): void {
    while (queue.length > 0) {
      const head = queue[0];
      if (head.hmac === null) {
        head.hmac = hmac.check(subject(head.o), final || queue.length > MAX_PENDING);
        if (head.hmac === null) return;
      }
      queue.shift();
      emit(head.row, head.o, head.hmac);
    }
  }

  function feedAdvert(frame: Frame, time: number, decoded: DecodedFrame): void {
    const o = observe(frame.index, time, decoded);
    if (!o) return;
    const row = advertRow(o);
    const result = o.ha.kind === 'carp' ? hmac.check(subject(o), false) : 'unknown';
    if (queue.length > 0 || result === null) {
      queue.push({ row, o, hmac: result });
      drain(false);
    } else {
      emit(row, o, result);
    }
    checkAdvert(log, o);
    collisions.feed(o);
    vipOverlap.feed(o);
    let g = groups.get(o.groupId);
    if (!g) {
      g = new Group(o, log);
      groups.set(o.groupId, g);
    }
    g.feed(o);
  }

  return {
    feed(frame, decoded) {
      packets++;
      const time = frame.tsSec + frame.tsNsec / 1e9;
      if (firstTime === null) firstTime = time;
      lastTime = time;
      if (frame.linkType !== lastLinkType) {
        lastLinkType = frame.linkType;
        linkTypes.add(lastLinkType);
      }
      if (!decoded) return;
      if (decoded.problem) checkProblem(log, decoded.problem, frame.index, time, frame.linkType);
      if (decoded.claim) {
        hmac.claim(decoded.claim);
        if (queue.length > 0) drain(false);
      }
      const ha = decoded.ha;
      if (!ha) return;
      if (ha.kind === 'pfsync' || ha.kind === 'conntrackd') {
        const row = syncRow(frame.index, time, decoded, ha);
        if (!row) return;
        options.onSync?.(row);
        if (keepRows) sync.push(row);
        return;
      }
      feedAdvert(frame, time, decoded);
    },

    finish(info = {}) {
      drain(true);
      const summaries: GroupSummary[] = [];
      for (const g of groups.values()) {
        const s = g.summary();
        const verified = hmacSources.get(s.id)?.ok ? hmac.verifiedWith(s.vhid) : undefined;
        if (verified && s.protocol === 'carp') s.hmacVerifiedWith = { addresses: [...verified.addresses], source: verified.source };
        summaries.push(s);
      }
      summaries.sort((a, b) => a.vhid - b.vhid || a.id.localeCompare(b.id));
      const capture: CaptureSummary = { packets, firstTime, lastTime, format: info.format ?? 'pcap', linkTypes: [...linkTypes].sort((a, b) => a - b) };
      if (info.error) capture.error = info.error;
      return { capture, adverts, sync, groups: summaries, findings: log.list() };
    },
  };
}

function subject(o: Observation) {
  return { vhid: o.vhid, srcMac: o.srcMac, advert: o.ha as Extract<Observation['ha'], { kind: 'carp' }> };
}
