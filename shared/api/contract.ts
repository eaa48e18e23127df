// The one API contract between the CarpDeck UI and its backend, compiled by both sides.
//
// Why oRPC (+ zod 4): the contract is a value of its own, defined here in pure TypeScript and implemented
// elsewhere (electron/core/api/router.ts), so renaming a procedure or changing a field is a compile error in
// the renderer and the backend alike. Every input and output is a zod schema that oRPC checks at runtime, so a
// malformed call is refused with BAD_REQUEST before any handler runs. Streams are plain async iterators
// (`eventIterator`), and oRPC ships first-party adapters for both transports we need: MessagePort (Electron's
// MessagePortMain in main, the DOM MessagePort in the page) and WebSocket (`ws` in `carpdeck serve`, the
// browser's WebSocket in the page).
//
// Only JSON-safe types cross this boundary (numbers, strings, booleans, arrays, plain objects; times as epoch
// milliseconds), so the structured clone of a MessagePort and the JSON of a WebSocket carry the same values.
import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';
import { clusterContract } from './cluster-contract.js';
import { pairingContract } from './pairing-contract.js';

/** Where the UI runs: inside the Electron shell, or in a browser through `carpdeck serve`. */
export const AppModeSchema = z.enum(['electron', 'browser']);
export type AppMode = z.infer<typeof AppModeSchema>;

export const SystemInfoSchema = z.object({
  /** CarpDeck's version (package.json). */
  version: z.string(),
  mode: AppModeSchema,
  /** The backend's operating system as Node names it: 'linux', 'darwin', 'win32', ... */
  platform: z.string(),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

const eventBase = {
  /** Increases by one for every event the backend emits, across all subscribers: resume with `since`. */
  seq: z.number().int().nonnegative(),
  /** Epoch milliseconds when the backend emitted the event. */
  time: z.number(),
};

/**
 * The backend's event stream. `hello` opens every subscription (the UI's status bar shows "connected" from it),
 * `heartbeat` arrives at a fixed interval so a silent, dead connection is noticed, and `notice` carries things
 * the person at the screen should know (for example that `carpdeck serve` is shutting down).
 */
export const SystemEventSchema = z.discriminatedUnion('kind', [
  z.object({
    ...eventBase,
    kind: z.literal('hello'),
    info: SystemInfoSchema,
    heartbeatMs: z.number().int().positive(),
    /** Identifies this run of the backend; seq numbers restart with a new run. */
    run: z.string(),
  }),
  z.object({ ...eventBase, kind: z.literal('heartbeat') }),
  z.object({ ...eventBase, kind: z.literal('notice'), level: z.enum(['info', 'warning']), message: z.string() }),
]);
export type SystemEvent = z.infer<typeof SystemEventSchema>;

export const SystemEventsInputSchema = z
  .object({
    /** Replay the notices still buffered whose seq is greater than this (after a reconnect). */
    since: z.number().int().nonnegative().optional(),
    /** The `run` of the hello that `since` belongs to; if the backend restarted since, all buffered notices are replayed. */
    run: z.string().max(100).optional(),
  })
  .optional();
export type SystemEventsInput = z.infer<typeof SystemEventsInputSchema>;

// Live discovery (shared/discovery/types.ts holds the same shapes as TypeScript types; times there are epoch
// seconds, as in capture files).
const SeveritySchema = z.enum(['error', 'warning', 'info']);

export const DiscoveryInterfaceSchema = z.object({
  name: z.string(),
  mac: z.string().nullable(),
  /** Addresses with prefix length. */
  addresses: z.array(z.string()),
  state: z.enum(['up', 'no-carrier', 'down', 'unknown']),
  loopback: z.boolean(),
  /** Set when the interfaces were probed: what a short listen heard. */
  probe: z.object({ groups: z.array(z.string()), syncFlows: z.number(), error: z.string().optional(), hint: z.string() }).optional(),
});
export type DiscoveryInterface = z.infer<typeof DiscoveryInterfaceSchema>;

export const DiscoveryInterfacesInputSchema = z
  .object({
    /** Listen this many seconds on each interface that is up to say which carry HA traffic (0: do not listen). */
    probeSeconds: z.number().min(0).max(10).optional(),
  })
  .optional();

const VendorSchema = z.object({
  id: z.enum(['freebsd', 'bsd-kernel', 'openbsd', 'ucarp', 'carpd', 'keepalived', 'vrrp-vmac', 'unknown']),
  label: z.string(),
  basis: z.string(),
});

const DiscoveredGroupSchema = z.object({
  id: z.string(),
  kind: z.enum(['carp', 'vrrp2', 'vrrp3']),
  protocol: z.enum(['carp', 'vrrp']),
  vhid: z.number(),
  family: z.union([z.literal(4), z.literal(6)]),
  vlans: z.array(z.number()),
  master: z.object({ address: z.string(), mac: z.string().nullable(), vendor: VendorSchema, since: z.number() }).nullable(),
  lastMaster: z.string().nullable(),
  advbase: z.number().optional(),
  advskew: z.number().optional(),
  demote: z.number().optional(),
  priority: z.number().optional(),
  addresses: z.array(z.string()).optional(),
  announcedInterval: z.number(),
  measuredInterval: z.number().nullable(),
  demoted: z.boolean(),
  state: z.enum(['advertising', 'silent']),
  adverts: z.number(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  sources: z.array(z.string()),
  masterChanges: z.number(),
  history: z.array(z.number()),
  backups: z.array(z.object({ node: z.string(), address: z.string(), verified: z.boolean() })).optional(),
});

const DiscoveredNodeSchema = z.object({
  name: z.string(),
  version: z.string(),
  address: z.string(),
  address6: z.string().optional(),
  mac: z.string().optional(),
  sshPort: z.number().optional(),
  managementAddress: z.string().optional(),
  vhids: z.array(z.object({ vhid: z.number(), role: z.enum(['master', 'backup', 'init', 'disabled']) })),
  verified: z.boolean(),
  lastSeen: z.number(),
});

const SyncTrafficSchema = z.object({
  kind: z.enum(['pfsync', 'conntrackd']),
  src: z.string(),
  dst: z.string(),
  packets: z.number(),
  rate: z.number(),
  firstSeen: z.number(),
  lastSeen: z.number(),
});

const LiveFindingSchema = z.object({
  kind: z.string(),
  severity: SeveritySchema,
  time: z.number(),
  vhid: z.number().optional(),
  group: z.string().optional(),
  message: z.string(),
  fix: z.string(),
  frames: z.array(z.number()),
  count: z.number().optional(),
});

export const DiscoveryEventSchema = z.discriminatedUnion('kind', [
  z.object({ seq: z.number(), time: z.number(), kind: z.literal('master'), group: z.string(), vhid: z.number(), from: z.string().nullable(), to: z.string(), cause: z.string(), message: z.string() }),
  z.object({ seq: z.number(), time: z.number(), kind: z.literal('silent'), group: z.string(), vhid: z.number(), from: z.string(), message: z.string() }),
  z.object({ seq: z.number(), time: z.number(), kind: z.literal('capture'), level: SeveritySchema, code: z.string(), message: z.string() }),
]);

export const DiscoverySnapshotSchema = z.object({
  time: z.number(),
  started: z.number(),
  interface: z.string().nullable(),
  packets: z.number(),
  groups: z.array(DiscoveredGroupSchema),
  nodes: z.array(DiscoveredNodeSchema),
  sync: z.array(SyncTrafficSchema),
  findings: z.array(LiveFindingSchema),
  events: z.array(DiscoveryEventSchema),
});

export const DiscoveryWatchInputSchema = z.object({
  /** Interface name as discovery.interfaces lists it. */
  interface: z.string().min(1).max(64),
  /** CARP passwords to check HMACs with (vips: the vhid's virtual addresses; without, the capture's are tried). */
  secrets: z
    .array(z.object({ vhid: z.number().int().min(1).max(255), password: z.string().max(256), vips: z.array(z.string().max(64)).max(64).optional() }))
    .max(255)
    .optional(),
  /** Seconds of silence before "no advertisements seen" (default 10). */
  quietSeconds: z.number().min(1).max(3600).optional(),
  /** Milliseconds between snapshots (default 500). */
  snapshotMs: z.number().int().min(100).max(10_000).optional(),
});
export type DiscoveryWatchInput = z.infer<typeof DiscoveryWatchInputSchema>;

/** A recording of a watch's live capture (discovery.record), kept in the backend as pcapng until fetched. */
export const DiscoveryRecordingSchema = z.object({
  id: z.string(),
  interface: z.string(),
  /** Still adding the packets captured. */
  active: z.boolean(),
  frames: z.number().int().nonnegative(),
  /** Size of the pcapng file so far. */
  bytes: z.number().int().nonnegative(),
  /** Epoch milliseconds when recording started. */
  started: z.number(),
  /** Why it stopped: the user, the size limit, or the capture ending; null while active. */
  stopped: z.enum(['user', 'limit', 'capture-ended']).nullable(),
  limitBytes: z.number().int().positive(),
});
export type DiscoveryRecording = z.infer<typeof DiscoveryRecordingSchema>;

export const DiscoveryRecordInputSchema = z.object({
  /** The `watch` of the stream's snapshots. */
  watch: z.string().min(1).max(64),
  /** true: start a new recording (the watch's previous one is discarded); false: stop it. */
  record: z.boolean(),
});

export const DiscoveryRecordingInputSchema = z.object({
  id: z.string().min(1).max(64),
  /** Byte offset into the pcapng file; read on until `offset + bytes` reaches `total`. */
  offset: z.number().int().nonnegative(),
});

export const DiscoveryRecordingChunkSchema = z.object({
  /** Base64 of up to 4 MiB of the pcapng file from `offset`. */
  data: z.string(),
  offset: z.number().int().nonnegative(),
  /** Size of the file (of what is recorded so far while the recording is active). */
  total: z.number().int().nonnegative(),
  recording: DiscoveryRecordingSchema,
});
export type DiscoveryRecordingChunk = z.infer<typeof DiscoveryRecordingChunkSchema>;

/**
 * What discovery.watch streams: `event` the moment something happens (a new master, a failover, a capture note),
 * `snapshot` (the whole picture, its `events` left empty: they came one by one) at a fixed interval, and a last
 * `end` when the capture stopped (with the error that stopped it: permission, no such interface, ...). `seq`
 * numbers the updates of one watch. Snapshots name the watch (`watch`) and carry its recording's progress.
 */
export const DiscoveryUpdateSchema = z.discriminatedUnion('kind', [
  z.object({ seq: z.number().int(), kind: z.literal('event'), event: DiscoveryEventSchema }),
  z.object({
    seq: z.number().int(),
    kind: z.literal('snapshot'),
    snapshot: DiscoverySnapshotSchema,
    /** Names this watch for discovery.record. */
    watch: z.string().optional(),
    /** The watch's recording, if one was started. */
    recording: DiscoveryRecordingSchema.optional(),
    /**
     * true: `snapshot.findings` is left empty to keep a busy stream light; the findings are those of the last
     * snapshot that carried them (the same kinds and groups, at most 5 s old).
     */
    findingsOmitted: z.boolean().optional(),
  }),
  z.object({
    seq: z.number().int(),
    kind: z.literal('end'),
    snapshot: DiscoverySnapshotSchema,
    watch: z.string().optional(),
    recording: DiscoveryRecordingSchema.optional(),
    error: z.object({ code: z.string(), message: z.string(), fix: z.string().optional() }).optional(),
  }),
]);
export type DiscoveryUpdate = z.infer<typeof DiscoveryUpdateSchema>;

export const contract = {
  system: {
    info: oc.output(SystemInfoSchema),
    events: oc.input(SystemEventsInputSchema).output(eventIterator(SystemEventSchema)),
  },
  discovery: {
    interfaces: oc.input(DiscoveryInterfacesInputSchema).output(z.object({ interfaces: z.array(DiscoveryInterfaceSchema) })),
    watch: oc.input(DiscoveryWatchInputSchema).output(eventIterator(DiscoveryUpdateSchema)),
    /** Starts or stops recording a watch's live capture as pcapng (NOT_FOUND once the watch ended). */
    record: oc.input(DiscoveryRecordInputSchema).output(DiscoveryRecordingSchema),
    /** One chunk of a recording's pcapng file (NOT_FOUND once it was discarded). */
    recording: oc.input(DiscoveryRecordingInputSchema).output(DiscoveryRecordingChunkSchema),
  },
  cluster: clusterContract,
  pairing: pairingContract,
};

export type Contract = typeof contract;
