import { z } from 'zod';
import { PRESETS, type PresetName } from './presets.js';
import { must, whole } from '../config/field-errors.js';

const absPath = (what: string) =>
  z.string({ error: must(`an absolute path: ${what}`) }).regex(/^\/[^\0]*$/, { error: (iss) => `must be an absolute path (${what}), got ${JSON.stringify(iss.input)}` });

const argv = z
  .array(z.string({ error: must('a string') }).min(1, { error: 'must not be empty' }), {
    error: must('an argv array such as ["nft", "-c", "-f", "{file}"] ({file} is the staged copy of the first file)'),
  })
  .min(1, { error: 'must name the program to run' });

const sectionName = z.string({ error: must('a section name such as "nftables"') }).regex(/^[a-z][a-z0-9-]{0,31}$/, {
  error: (iss) => `must be a section name of lower-case letters, digits and "-" (1..32, starting with a letter), got ${JSON.stringify(iss.input)}`,
});

const sectionObject = z
  .object({
    name: sectionName,
    files: z.array(absPath('a file synced by this section'), { error: must('an array of absolute paths') }).min(1, { error: 'must list at least one file' }).optional(),
    validate: argv.nullable().optional(),
    apply: argv.nullable().optional(),
    verify: argv.nullable().optional(),
  })
  .strict();

/** A preset by name (`"nftables"`), or an object: a custom section, or a preset with some fields replaced. */
export const sectionEntrySchema = z.unknown().transform((v, ctx) => {
  if (typeof v !== 'string' && (v === null || typeof v !== 'object' || Array.isArray(v))) {
    ctx.addIssue({ code: 'custom', message: `must be a preset name (${Object.keys(PRESETS).join(', ')}) or an object {"name", "files", "validate", "apply"}, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  const r = typeof v === 'string' ? sectionName.safeParse(v) : sectionObject.safeParse(v);
  if (!r.success) {
    for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
    return z.NEVER;
  }
  return r.data as string | z.output<typeof sectionObject>;
});

const fingerprint = z
  .string({ error: must('a SHA-256 certificate fingerprint such as "AB:CD:…" (32 colon-separated hex bytes)') })
  .transform((s) => s.trim().toUpperCase().replace(/^SHA256:/, ''))
  .refine((s) => /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(s), {
    error: (iss) => `must be a SHA-256 fingerprint of 32 colon-separated hex bytes (openssl x509 -noout -fingerprint -sha256), got ${JSON.stringify(iss.input)}`,
  });

const overrideValue = z.string({ error: must('a string value') }).min(3, {
  error: 'must be at least 3 characters (shorter values such as "0" would match unrelated text; use a jsonOverlay for numbers)',
});

/**
 * `"configSync"` in the carpd config. The `source` node pushes its sections to the `receiver`; each node pins the
 * other's certificate. `overrides` are this node's own values: never synced, applied on the receiving side.
 */
export const configSyncSchema = z
  .object({
    role: z.enum(['source', 'receiver'], { error: must('"source" (the node edited by hand, pushes) or "receiver" (accepts pushes)') }),
    /** This node's address on the sync interface: the HTTPS server listens here. */
    listen: z.string({ error: must("this node's address on the sync interface") }).min(1),
    port: whole(1, 65535, 'the HTTPS port').default(8443),
    peer: z
      .object({
        address: z.string({ error: must("the peer's address on the sync interface") }).min(1),
        port: whole(1, 65535, "the peer's HTTPS port").default(8443),
        fingerprint,
      })
      .strict(),
    /** This node's key and certificate (PEM); default stateDir/configsync/node.key and node.crt, created when missing. */
    key: absPath('the private key').optional(),
    cert: absPath('the certificate').optional(),
    sections: z.array(sectionEntrySchema, { error: must('an array of sections') }).min(1, { error: 'must list at least one section' }),
    overrides: z
      .object({
        /** Interface names by role, e.g. {"lan": "enp3s0"}: `{{if.lan}}` in synced files. */
        interfaces: z.record(sectionName, z.string().regex(/^[^\s/]{1,15}$/, { error: 'must be a Linux interface name' })).default({}),
        /** Node-specific values, e.g. {"lan.address": "10.0.1.2"}: `{{node.lan.address}}` in synced files. */
        values: z.record(z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, { error: 'must be a key of lower-case letters, digits, "." and "-"' }), overrideValue).default({}),
        /** Per file, JSON pointers whose value is this node's own, e.g. {"/etc/carpd/vips.json": {"/vhids/0/advskew": 100}}. */
        jsonOverlay: z.record(absPath('a synced JSON file'), z.record(z.string().regex(/^(\/[^/]*)+$/, { error: 'must be a JSON pointer such as "/vhids/0/advskew"' }), z.unknown())).default({}),
      })
      .strict()
      .default({ interfaces: {}, values: {}, jsonOverlay: {} }),
    debounceMs: whole(0, 60_000, 'milliseconds').default(500),
    /** Seconds between drift checks (checksums of both nodes). */
    checkInterval: whole(1, 3600, 'seconds').default(5),
    commandTimeout: whole(1, 600, 'seconds').default(30),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.sections.forEach((s, i) => {
      const name = typeof s === 'string' ? s : s.name;
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['sections', i], message: `lists section "${name}" twice` });
      seen.add(name);
      if (typeof s === 'string' && !(s in PRESETS)) {
        ctx.addIssue({ code: 'custom', path: ['sections', i], message: `is not a preset (${Object.keys(PRESETS).join(', ')}); give a custom section as {"name", "files", "validate", "apply"}` });
      }
      if (typeof s === 'object' && !(s.name in PRESETS) && !s.files) {
        ctx.addIssue({ code: 'custom', path: ['sections', i, 'files'], message: `is required for the custom section "${s.name}"` });
      }
    });
    const values = new Map<string, string>();
    const all = { ...Object.fromEntries(Object.entries(c.overrides.interfaces).map(([k, v]) => [`if.${k}`, v])), ...Object.fromEntries(Object.entries(c.overrides.values).map(([k, v]) => [`node.${k}`, v])) };
    for (const [k, v] of Object.entries(all)) {
      const other = values.get(v);
      if (other) ctx.addIssue({ code: 'custom', path: ['overrides'], message: `gives the same value ${JSON.stringify(v)} to ${other} and ${k}; each node-specific value must be unique` });
      values.set(v, k);
    }
  });

export type ConfigSyncConfig = z.output<typeof configSyncSchema>;
export type Overrides = ConfigSyncConfig['overrides'];
export type SectionEntry = z.output<typeof sectionEntrySchema>;
export type { PresetName };
