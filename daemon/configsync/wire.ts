import { z } from 'zod';
import type { SyncError } from './errors.js';
import type { GenericSection, Revision } from './revision.js';
import type { XmlRpcValue } from './xmlrpc.js';

// What travels in XML-RPC params and results, checked with zod on arrival (the codec only guarantees types).

export interface Hello {
  protocol: number;
  node: string;
  role: 'source' | 'receiver';
}

export const helloSchema = z.object({ protocol: z.number().int(), node: z.string().min(1).max(64), role: z.enum(['source', 'receiver']) }).strict();

const fileSchema = z
  .object({
    path: z.string().regex(/^\/[^\0]*$/).max(4096),
    mode: z.number().int().min(0).max(0o7777),
    present: z.boolean(),
    content: z.instanceof(Uint8Array),
  })
  .strict();

const revisionSchema = z
  .object({
    protocol: z.number().int(),
    source: z.string().min(1).max(64),
    created: z.string().max(64),
    id: z.string().regex(/^[0-9a-f]{1,64}$/),
    sections: z.array(z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/), files: z.array(fileSchema).max(256) }).strict()).max(64),
  })
  .strict();

export const pushOptionsSchema = z.object({ dryRun: z.boolean() }).strict();

export function revisionToWire(r: Revision): XmlRpcValue {
  return {
    protocol: r.protocol,
    source: r.source,
    created: r.created,
    id: r.id,
    sections: r.sections.map((s) => ({
      name: s.name,
      files: s.files.map((f) => ({ path: f.path, mode: f.mode, present: f.content !== null, content: new Uint8Array(Buffer.from(f.content ?? '', 'utf8')) })),
    })),
  };
}

/** The revision from the wire, or a message saying what is malformed. */
export function revisionFromWire(v: unknown): { ok: true; value: Revision } | { ok: false; message: string } {
  const r = revisionSchema.safeParse(v);
  if (!r.success) return { ok: false, message: `malformed revision: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  const sections: GenericSection[] = r.data.sections.map((s) => ({
    name: s.name,
    files: s.files.map((f) => ({ path: f.path, mode: f.mode, content: f.present ? Buffer.from(f.content).toString('utf8') : null })),
  }));
  return { ok: true, value: { ...r.data, sections } };
}

export interface SectionSum {
  name: string;
  checksum: string;
}

export const checksumsSchema = z.object({
  node: z.string(),
  sections: z.array(z.object({ name: z.string(), checksum: z.string() })),
  /** ISO time of the last revision applied on that node, "" for never. */
  lastSync: z.string(),
});
export type ChecksumsReply = z.infer<typeof checksumsSchema>;

export const pushReplySchema = z.union([
  z.object({
    ok: z.literal(true),
    changed: z.array(z.string()),
    unchanged: z.array(z.string()),
    /** Dry run: per section, the line diff of what would change on the receiver. */
    diffs: z.array(z.object({ name: z.string(), diff: z.string() })),
    checksums: z.array(z.object({ name: z.string(), checksum: z.string() })),
  }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), where: z.string().optional() }) }),
]);
export type PushReply = z.infer<typeof pushReplySchema>;

export function errorReply(e: SyncError): PushReply {
  return { ok: false, error: e };
}
