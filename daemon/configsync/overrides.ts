import type { Overrides } from './config.js';
import { fail, messageOf, ok, type Result } from './errors.js';

// Synced content is "generic": the source's node-specific values are replaced by placeholders ({{if.lan}},
// {{node.lan.address}}) and its JSON-overlay values by LOCAL; the receiver puts its own values back. Checksums are
// taken over the generic form, so two nodes are in sync exactly when everything but their own values is equal.

/** Marks a JSON value owned by each node (jsonOverlay) in the generic form. */
export const LOCAL = '{{local}}';

const PLACEHOLDER = /\{\{((?:if|node)\.[a-z0-9.-]+|local)\}\}/g;
/** Characters that continue a token: a value only matches where neither neighbour is one of these. */
const TOKEN = /[A-Za-z0-9_.:-]/;

function placeholders(o: Overrides): Map<string, string> {
  const m = new Map<string, string>();
  for (const [role, name] of Object.entries(o.interfaces)) m.set(`if.${role}`, name);
  for (const [k, v] of Object.entries(o.values)) m.set(`node.${k}`, v);
  return m;
}

function replaceTokens(text: string, value: string, by: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const j = text.indexOf(value, i);
    if (j < 0) return out + text.slice(i);
    const before = j > 0 ? text[j - 1] : '';
    const after = text[j + value.length] ?? '';
    // A "." ends a sentence as often as it continues an address; only a following digit or letter continues one.
    const continues = (c: string) => c !== '' && TOKEN.test(c) && !(c === '.' && !TOKEN.test(text[j + value.length + 1] ?? ''));
    const bounded = !(before && TOKEN.test(before)) && !continues(after);
    out += text.slice(i, j) + (bounded ? by : value);
    i = j + value.length;
  }
}

function pointerParts(pointer: string): string[] {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

// "*" in a pointer stands for every element of an array, so a per-node value needs no position: "/vhids/*/advskew".
export const EVERY = '*';

function setParts(cur: unknown, parts: string[], value: unknown): boolean {
  if (cur === null || typeof cur !== 'object') return false;
  const [p, ...rest] = parts;
  if (p === EVERY && Array.isArray(cur)) return cur.every((el, i) => (rest.length === 0 ? ((cur[i] = value), true) : setParts(el, rest, value)));
  if (Array.isArray(cur) && !(Number(p) >= 0 && Number(p) < cur.length)) return false;
  const obj = cur as Record<string, unknown>;
  if (rest.length === 0) {
    obj[p] = value;
    return true;
  }
  return setParts(obj[p], rest, value);
}

function setPointer(doc: unknown, pointer: string, value: unknown): boolean {
  return setParts(doc, pointerParts(pointer), value);
}

function overlay(path: string, text: string, o: Overrides, own: boolean): Result<string> {
  const pointers = o.jsonOverlay[path];
  if (!pointers || Object.keys(pointers).length === 0) return ok(text);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail('OVERLAY_JSON', `${path} is not valid JSON (${messageOf(e)}) but has a jsonOverlay; fix the file or remove its overlay`, path);
  }
  for (const [pointer, value] of Object.entries(pointers)) {
    if (!setPointer(doc, pointer, own ? value : LOCAL)) {
      return fail('OVERLAY_POINTER', `${path} has nothing at ${pointer} for the jsonOverlay; fix the pointer in configSync.overrides.jsonOverlay`, path);
    }
  }
  return ok(JSON.stringify(doc, null, 2) + '\n');
}

/** This node's file content -> the generic form that is synced and checksummed. */
export function generalize(path: string, content: string, o: Overrides): Result<string> {
  const stray = content.match(PLACEHOLDER);
  if (stray) return fail('PLACEHOLDER_IN_FILE', `${path} contains ${stray[0]} literally; a synced file must hold real values (the placeholder form is made by carpd)`, path);
  const withOverlay = overlay(path, content, o, false);
  if (!withOverlay.ok) return withOverlay;
  let text = withOverlay.value;
  // Longest values first, so "10.0.1.20" is replaced before a shorter value could match inside it.
  const entries = [...placeholders(o)].sort((a, b) => b[1].length - a[1].length);
  for (const [key, value] of entries) text = replaceTokens(text, value, `{{${key}}}`);
  return ok(text);
}

/** The generic form -> this node's file content; every placeholder must have a value on this node. */
export function specialize(path: string, generic: string, o: Overrides): Result<string> {
  const values = placeholders(o);
  const missing = new Set<string>();
  const text = generic.replace(PLACEHOLDER, (whole, key: string) => {
    if (key === 'local') return whole;
    const v = values.get(key);
    if (v === undefined) missing.add(key);
    return v ?? whole;
  });
  if (missing.size > 0) {
    const list = [...missing].map((k) => (k.startsWith('if.') ? `interfaces.${k.slice(3)}` : `values.${k.slice(5)}`));
    return fail('OVERRIDE_MISSING', `${path} needs this node's ${list.join(', ')}; add ${list.length > 1 ? 'them' : 'it'} to configSync.overrides on this node`, path);
  }
  const out = overlay(path, text, o, true);
  if (out.ok && out.value.includes(JSON.stringify(LOCAL))) {
    return fail('OVERRIDE_MISSING', `${path} has values each node sets itself; add this node's values to configSync.overrides.jsonOverlay["${path}"]`, path);
  }
  return out;
}
