// The control panel's procedures: firewalls reached over SSH (the backend holds the sessions; the renderer only
// answers prompts), their carpd status, actions on them, deploy, and the merged event timeline.
import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';

/** A refused, changed host key as data; fingerprints are "SHA256:…" exactly as OpenSSH prints them. */
export const HostKeyChangeSchema = z.object({
  /** The node as it was addressed, USER@HOST[:PORT]. */
  target: z.string(),
  host: z.string(),
  port: z.number(),
  /** The type of the key offered now, e.g. ssh-ed25519. */
  keyType: z.string(),
  pinnedKeyType: z.string(),
  pinnedFingerprint: z.string(),
  offeredFingerprint: z.string(),
  /** When the pinned key was first trusted (ISO time). */
  pinnedSince: z.string(),
});
export type HostKeyChange = z.infer<typeof HostKeyChangeSchema>;

const ErrorSchema = z.object({ code: z.string(), message: z.string(), fix: z.string().optional(), hostKey: HostKeyChangeSchema.optional() });

/** A pinned host key (trust on first use). */
export const KnownHostSchema = z.object({
  /** HOST or HOST:PORT ([IPv6]:PORT). */
  target: z.string(),
  host: z.string(),
  port: z.number(),
  keyType: z.string(),
  fingerprint: z.string(),
  /** When it was pinned (ISO time). */
  pinnedAt: z.string(),
});
export type KnownHostView = z.infer<typeof KnownHostSchema>;

const fingerprintField = z.string().max(100);

export const ReplaceHostKeyInputSchema = z.object({
  /** HOST[:PORT] or USER@HOST[:PORT]. */
  target: z.string().min(1).max(300),
  /** The pinned fingerprint the person saw; nothing is replaced if the pin is another one by now. */
  expectedOld: fingerprintField,
  /** The fingerprint the person checked on the firewall's console; the host must offer exactly this key now. */
  newFingerprint: fingerprintField,
});
export type ReplaceHostKeyInput = z.infer<typeof ReplaceHostKeyInputSchema>;

/** Host-key procedures answer with a value: done (with the entry) or an error with its fix, never a throw. */
const hostKeyResult = <T extends z.ZodRawShape>(ok: T) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), ...ok }), z.object({ ok: z.literal(false), error: ErrorSchema })]);

export const ReplaceHostKeyResultSchema = hostKeyResult({ previous: KnownHostSchema, pinned: KnownHostSchema });
export type ReplaceHostKeyResult = z.infer<typeof ReplaceHostKeyResultSchema>;
export const ForgetHostKeyResultSchema = hostKeyResult({ forgotten: KnownHostSchema.nullable() });
export type ForgetHostKeyResult = z.infer<typeof ForgetHostKeyResultSchema>;
export const KnownHostsListSchema = hostKeyResult({ file: z.string(), hosts: z.array(KnownHostSchema) });
export type KnownHostsList = z.infer<typeof KnownHostsListSchema>;

/** Something the SSH layer asks the person at the screen; answer it with `cluster.answer`. */
export const ClusterPromptSchema = z.discriminatedUnion('type', [
  z.object({
    id: z.string(),
    type: z.literal('host-key'),
    host: z.string(),
    port: z.number(),
    keyType: z.string(),
    /** "SHA256:…", exactly as OpenSSH prints it. */
    fingerprint: z.string(),
  }),
  z.object({ id: z.string(), type: z.literal('password'), label: z.string() }),
  z.object({
    id: z.string(),
    type: z.literal('keyboard'),
    name: z.string(),
    instructions: z.string(),
    prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
  }),
]);
export type ClusterPrompt = z.infer<typeof ClusterPromptSchema>;

export const ConnectInputSchema = z.object({
  /** USER@HOST[:PORT] */
  target: z.string().min(1).max(300),
  /** A private key file on the backend's machine (as `ssh -i`). */
  identity: z.string().max(4096).optional(),
  password: z.string().max(1024).optional(),
  /** Save the password or key passphrase given during this login in the credential store (encrypted at rest). */
  remember: z.boolean().optional(),
});
export type ConnectInput = z.infer<typeof ConnectInputSchema>;

export const ConnectUpdateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('prompt'), prompt: ClusterPromptSchema }),
  z.object({ kind: z.literal('connected'), node: z.string(), fingerprint: z.string() }),
  z.object({ kind: z.literal('failed'), error: ErrorSchema }),
]);
export type ConnectUpdate = z.infer<typeof ConnectUpdateSchema>;

export const AnswerInputSchema = z.object({
  id: z.string(),
  /** host-key: accept (trust on first use) or refuse. */
  accept: z.boolean().optional(),
  /** password / keyboard: the answers in prompt order; absent = cancel. */
  answers: z.array(z.string().max(1024)).max(16).optional(),
});

export const VhidViewSchema = z.object({
  vhid: z.number(),
  interface: z.string(),
  state: z.enum(['INIT', 'BACKUP', 'MASTER']),
  vips: z.array(z.string()),
  advbase: z.number(),
  advskew: z.number(),
  demotion: z.number(),
  /** The address of the master as this node sees it ("this node" when it is the master). */
  master: z.string().nullable(),
  /** Plain words: why this node is master or backup (skew/demotion compared with the peer, maintenance, preempt). */
  why: z.string(),
});

export const SyncHealthSchema = z.object({
  healthy: z.boolean(),
  /** One line for the panel, e.g. "peer reachable, 1,204 states, last bulk sync 12 s ago". */
  summary: z.string(),
  details: z.array(z.string()),
});

export const ClusterNodeSchema = z.object({
  /** The node's id in this API: its USER@HOST[:PORT] label. */
  id: z.string(),
  fingerprint: z.string().nullable(),
  connection: z.object({
    state: z.enum(['connecting', 'ready', 'backoff', 'failed', 'closed']),
    error: ErrorSchema.optional(),
    retryInMs: z.number().optional(),
  }),
  /** Whether a secret for this node is saved in the credential store. */
  credentialSaved: z.boolean(),
  carpd: z
    .object({
      running: z.boolean(),
      name: z.string().nullable(),
      version: z.string().nullable(),
      maintenance: z.boolean(),
      demotion: z.number(),
      demotionReasons: z.record(z.string(), z.number()),
      vhids: z.array(VhidViewSchema),
      stateSync: SyncHealthSchema.nullable(),
      configSync: SyncHealthSchema.nullable(),
      /** What went wrong asking carpd (not installed, not running, socket refused). */
      error: ErrorSchema.optional(),
    })
    .nullable(),
  updated: z.number(),
});
export type ClusterNode = z.infer<typeof ClusterNodeSchema>;

/** One event of the merged timeline. `seq` numbers the merged stream (resume with `since`). */
export const TimelineEventSchema = z.object({
  seq: z.number().int().nonnegative(),
  node: z.string(),
  /** carpd's own seq on that node. */
  nodeSeq: z.number().int(),
  /** Epoch ms as the node stamped it. */
  time: z.number(),
  kind: z.enum(['state', 'demotion', 'state-sync', 'config-sync', 'connection', 'action']),
  vhid: z.number().nullable(),
  old: z.string().nullable(),
  new: z.string().nullable(),
  cause: z.string(),
  /** Failovers (a vhid becoming MASTER on a node) are flagged for desktop notifications. */
  failover: z.boolean(),
});
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

export const ClusterActionSchema = z.enum(['maintenance-on', 'maintenance-off', 'failover', 'restart', 'resync-states', 'push-config']);
export type ClusterAction = z.infer<typeof ClusterActionSchema>;

/** Progress of an action or a deploy, step by step as the nodes report it; the last update has `done`. */
export const ProgressSchema = z.object({
  node: z.string().nullable(),
  step: z.string(),
  message: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  sent: z.number().optional(),
  total: z.number().optional(),
  /** Set on the final update: the result in plain words, or the error. */
  done: z.object({ ok: z.boolean(), message: z.string(), error: ErrorSchema.optional() }).optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const clusterContract = {
  /** Opens (or reopens) an SSH session to a node; streams prompts until connected or failed. */
  connect: oc.input(ConnectInputSchema).output(eventIterator(ConnectUpdateSchema)),
  answer: oc.input(AnswerInputSchema).output(z.object({ ok: z.boolean() })),
  disconnect: oc.input(z.object({ node: z.string() })).output(z.object({ ok: z.boolean() })),
  /** Every node known to the backend with its latest status; streams a fresh list whenever something changes. */
  nodes: oc.input(z.object({}).optional()).output(eventIterator(z.object({ nodes: z.array(ClusterNodeSchema) }))),
  /** The merged event timeline; `since` resumes after a reconnect without gaps or duplicates. */
  timeline: oc.input(z.object({ since: z.number().int().nonnegative().optional() }).optional()).output(eventIterator(TimelineEventSchema)),
  action: oc
    .input(z.object({ action: ClusterActionSchema, node: z.string().optional() }))
    .output(eventIterator(ProgressSchema)),
  deploy: oc
    .input(z.object({ node: z.string(), config: z.string().min(2).max(1_000_000), configName: z.string().max(200).optional() }))
    .output(eventIterator(ProgressSchema)),
  credentials: {
    list: oc.output(
      z.object({
        persistent: z.boolean(),
        targets: z.array(z.string()),
        /** Why saved secrets are kept in memory only (no keyring, headless without --credentials-file). */
        notice: z.string().optional(),
      }),
    ),
    forget: oc.input(z.object({ target: z.string() })).output(z.object({ ok: z.boolean() })),
  },
  /** Pinned host keys: list them, replace one after a legitimate change, or forget one (as ssh-keygen -R). */
  hostKeys: {
    list: oc.output(KnownHostsListSchema),
    replace: oc.input(ReplaceHostKeyInputSchema).output(ReplaceHostKeyResultSchema),
    forget: oc.input(z.object({ target: z.string().min(1).max(300) })).output(ForgetHostKeyResultSchema),
  },
};
