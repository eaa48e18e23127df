// Maps a request path to a file under the renderer's build directory, refusing anything that could escape it.
import path from 'node:path';

export type StaticPath = { ok: true; file: string } | { ok: false; status: 400 | 404; reason: string };

/**
 * `urlPath` is the path part of the request URL, still percent-encoded. `/` means index.html. Any `..`
 * segment (literal or encoded), a backslash or a NUL byte is refused, and the result must lie inside `root`.
 */
export function resolveStaticPath(root: string, urlPath: string): StaticPath {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding in the path' };
  }
  if (!decoded.startsWith('/')) return { ok: false, status: 400, reason: 'the path must start with /' };
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400, reason: 'NUL or backslash in the path' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { ok: false, status: 400, reason: 'the path leaves the app directory (..)' };
  const relative = decoded === '/' ? 'index.html' : segments.filter((s) => s !== '' && s !== '.').join('/');
  if (relative === '') return { ok: false, status: 404, reason: 'not found' };
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  if (!file.startsWith(base + path.sep)) return { ok: false, status: 400, reason: 'the path leaves the app directory' };
  return { ok: true, file };
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return types[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
