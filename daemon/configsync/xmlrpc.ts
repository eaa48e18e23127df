// A small, strict XML-RPC codec: only the elements XML-RPC defines, no DTDs, comments, CDATA, attributes or
// processing instructions besides the XML declaration; size, depth and element-count limits.

export type XmlRpcValue = number | boolean | string | Uint8Array | null | XmlRpcValue[] | { [key: string]: XmlRpcValue };

export interface XmlRpcCall {
  method: string;
  params: XmlRpcValue[];
}

export type XmlRpcResponse = { fault: false; value: XmlRpcValue } | { fault: true; code: number; message: string };

export interface Limits {
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_LIMITS: Limits = { maxBytes: 16 << 20, maxDepth: 40, maxElements: 200_000 };

export class XmlRpcError extends Error {}

interface El {
  name: string;
  children: El[];
  text: string;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function encodeValue(v: XmlRpcValue): string {
  if (v === null) return '<value><nil/></value>';
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new XmlRpcError(`cannot encode ${v}`);
    return Number.isInteger(v) && Math.abs(v) <= 0x7fffffff ? `<value><int>${v}</int></value>` : `<value><double>${v}</double></value>`;
  }
  if (typeof v === 'string') {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(v)) throw new XmlRpcError('a string with control characters cannot travel in XML; send it as base64');
    return `<value><string>${escapeText(v)}</string></value>`;
  }
  if (v instanceof Uint8Array) return `<value><base64>${Buffer.from(v).toString('base64')}</base64></value>`;
  if (Array.isArray(v)) return `<value><array><data>${v.map(encodeValue).join('')}</data></array></value>`;
  const members = Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `<member><name>${escapeText(k)}</name>${encodeValue(x)}</member>`);
  return `<value><struct>${members.join('')}</struct></value>`;
}

export function encodeCall(method: string, params: readonly XmlRpcValue[]): string {
  return `<?xml version="1.0"?>\n<methodCall><methodName>${escapeText(method)}</methodName><params>${params.map((p) => `<param>${encodeValue(p)}</param>`).join('')}</params></methodCall>\n`;
}

export function encodeResponse(value: XmlRpcValue): string {
  return `<?xml version="1.0"?>\n<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>\n`;
}

export function encodeFault(code: number, message: string): string {
  return `<?xml version="1.0"?>\n<methodResponse><fault>${encodeValue({ faultCode: code, faultString: message })}</fault></methodResponse>\n`;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string, at: number): string {
  return s.replace(/&([^;]{0,10});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new XmlRpcError(`unterminated entity near byte ${at}`);
    if (name in ENTITIES) return ENTITIES[name];
    const m = /^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.exec(name);
    if (!m) throw new XmlRpcError(`unknown entity &${name}; (only the five XML entities and character references)`);
    const cp = m[1].startsWith('x') ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10);
    if (cp > 0x10ffff || (cp < 0x20 && cp !== 9 && cp !== 10 && cp !== 13)) throw new XmlRpcError(`character reference &${name}; is not allowed in XML`);
    return String.fromCodePoint(cp);
  });
}

/** Parses the restricted XML subset into an element tree. */
export function parseXml(text: string, limits: Limits = DEFAULT_LIMITS): El {
  if (Buffer.byteLength(text) > limits.maxBytes) throw new XmlRpcError(`document larger than ${limits.maxBytes} bytes`);
  let i = 0;
  const decl = /^\uFEFF?<\?xml\s[^?]*\?>/.exec(text);
  if (decl) i = decl[0].length;
  const stack: El[] = [];
  let root: El | null = null;
  let count = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk.length > 0) {
      if (stack.length === 0) {
        if (chunk.trim() !== '') throw new XmlRpcError(`text outside the root element at byte ${i}`);
      } else stack[stack.length - 1].text += decodeEntities(chunk, i);
    }
    if (lt < 0) break;
    const c = text[lt + 1];
    if (c === '!' || c === '?') throw new XmlRpcError(`markup "<${c}" at byte ${lt} is not allowed (no DTD, comment, CDATA or processing instruction)`);
    const gt = text.indexOf('>', lt);
    if (gt < 0) throw new XmlRpcError(`unterminated tag at byte ${lt}`);
    const tag = text.slice(lt + 1, gt);
    const close = /^\/([A-Za-z][\w.-]*)\s*$/.exec(tag);
    const open = /^([A-Za-z][\w.-]*)\s*(\/?)$/.exec(tag);
    if (close) {
      const top = stack.pop();
      if (!top || top.name !== close[1]) throw new XmlRpcError(`</${close[1]}> at byte ${lt} does not close ${top ? `<${top.name}>` : 'anything'}`);
      if (stack.length === 0) root = top;
    } else if (open) {
      if (root || (stack.length === 0 && count > 0)) throw new XmlRpcError(`a second root element at byte ${lt}`);
      if (++count > limits.maxElements) throw new XmlRpcError(`more than ${limits.maxElements} elements`);
      if (stack.length >= limits.maxDepth) throw new XmlRpcError(`nesting deeper than ${limits.maxDepth}`);
      const el: El = { name: open[1], children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      if (open[2] === '/') {
        if (stack.length === 0) root = el;
      } else stack.push(el);
    } else throw new XmlRpcError(`malformed or attributed tag <${tag.slice(0, 40)}> at byte ${lt} (XML-RPC uses no attributes)`);
    i = gt + 1;
  }
  if (stack.length > 0) throw new XmlRpcError(`<${stack[stack.length - 1].name}> is never closed`);
  if (!root) throw new XmlRpcError('no root element');
  return root;
}

function only(el: El, name: string): El {
  if (el.children.length !== 1 || el.children[0].name !== name) throw new XmlRpcError(`<${el.name}> must hold exactly one <${name}>`);
  return el.children[0];
}

function noText(el: El): void {
  if (el.text.trim() !== '') throw new XmlRpcError(`<${el.name}> must not hold text beside its elements`);
}

function leaf(el: El): string {
  if (el.children.length > 0) throw new XmlRpcError(`<${el.name}> must hold text only`);
  return el.text;
}

function decodeValue(el: El): XmlRpcValue {
  if (el.name !== 'value') throw new XmlRpcError(`expected <value>, got <${el.name}>`);
  if (el.children.length === 0) return el.text;
  noText(el);
  if (el.children.length !== 1) throw new XmlRpcError('<value> must hold one typed element');
  const t = el.children[0];
  switch (t.name) {
    case 'int':
    case 'i4':
    case 'i8': {
      const s = leaf(t).trim();
      if (!/^[+-]?\d{1,19}$/.test(s) || !Number.isSafeInteger(Number(s))) throw new XmlRpcError(`<${t.name}> holds ${JSON.stringify(s.slice(0, 30))}, not an integer`);
      return Number(s);
    }
    case 'double': {
      const s = leaf(t).trim();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new XmlRpcError(`<double> holds ${JSON.stringify(s.slice(0, 30))}, not a number`);
      return Number(s);
    }
    case 'boolean': {
      const s = leaf(t).trim();
      if (s !== '0' && s !== '1') throw new XmlRpcError(`<boolean> must be 0 or 1, got ${JSON.stringify(s.slice(0, 10))}`);
      return s === '1';
    }
    case 'string':
    case 'dateTime.iso8601':
      return leaf(t);
    case 'base64': {
      const s = leaf(t).replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new XmlRpcError('<base64> is not valid base64');
      return new Uint8Array(Buffer.from(s, 'base64'));
    }
    case 'nil':
      if (t.children.length > 0 || t.text.trim() !== '') throw new XmlRpcError('<nil/> must be empty');
      return null;
    case 'array': {
      noText(t);
      const data = only(t, 'data');
      noText(data);
      return data.children.map(decodeValue);
    }
    case 'struct': {
      noText(t);
      const out: { [k: string]: XmlRpcValue } = Object.create(null) as { [k: string]: XmlRpcValue };
      for (const m of t.children) {
        if (m.name !== 'member' || m.children.length !== 2 || m.children[0].name !== 'name') throw new XmlRpcError('<member> must hold <name> then <value>');
        noText(m);
        const key = leaf(m.children[0]);
        if (key in out) throw new XmlRpcError(`struct member "${key.slice(0, 40)}" appears twice`);
        out[key] = decodeValue(m.children[1]);
      }
      return out;
    }
    default:
      throw new XmlRpcError(`unknown value type <${t.name}>`);
  }
}

export function decodeCall(text: string, limits: Limits = DEFAULT_LIMITS): XmlRpcCall {
  const root = parseXml(text, limits);
  if (root.name !== 'methodCall') throw new XmlRpcError(`expected <methodCall>, got <${root.name}>`);
  noText(root);
  const [name, params, ...rest] = root.children;
  if (!name || name.name !== 'methodName' || rest.length > 0 || (params && params.name !== 'params')) {
    throw new XmlRpcError('<methodCall> must hold <methodName> and optionally <params>');
  }
  const method = leaf(name).trim();
  if (!/^[A-Za-z][\w.]{0,63}$/.test(method)) throw new XmlRpcError(`method name ${JSON.stringify(method.slice(0, 64))} is not valid`);
  const list = params ? params.children.map((p) => (noText(p), p.name === 'param' ? decodeValue(only(p, 'value')) : fail(p))) : [];
  return { method, params: list };
}

function fail(p: El): never {
  throw new XmlRpcError(`<params> must hold <param> elements, got <${p.name}>`);
}

export function decodeResponse(text: string, limits: Limits = DEFAULT_LIMITS): XmlRpcResponse {
  const root = parseXml(text, limits);
  if (root.name !== 'methodResponse') throw new XmlRpcError(`expected <methodResponse>, got <${root.name}>`);
  noText(root);
  if (root.children.length !== 1) throw new XmlRpcError('<methodResponse> must hold <params> or <fault>');
  const body = root.children[0];
  noText(body);
  if (body.name === 'fault') {
    const v = decodeValue(only(body, 'value'));
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) throw new XmlRpcError('<fault> must hold a struct');
    const code = v.faultCode;
    const message = v.faultString;
    if (typeof code !== 'number' || typeof message !== 'string') throw new XmlRpcError('<fault> struct needs faultCode (int) and faultString (string)');
    return { fault: true, code, message };
  }
  if (body.name !== 'params') throw new XmlRpcError(`expected <params> or <fault>, got <${body.name}>`);
  const param = only(body, 'param');
  noText(param);
  return { fault: false, value: decodeValue(only(param, 'value')) };
}
