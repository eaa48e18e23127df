// app://carpdeck serves the renderer build (dist/renderer) with the CSP header; never file://.
import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { contentSecurityPolicy, staticSecurityHeaders } from '../core/web/csp.js';
import { contentType, resolveStaticPath } from '../core/web/static-path.js';
import { APP_HOST, APP_SCHEME } from './security.js';

/**
 * Must run before the app is ready: app:// behaves like https (standard origin, secure context). `corsEnabled`
 * stays off: the page only loads its own same-origin files, and that privilege would let other origins read them.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

function headers(type: string): Record<string, string> {
  return { 'Content-Type': type, 'Content-Security-Policy': contentSecurityPolicy(), ...staticSecurityHeaders };
}

/** The response for one app:// request: a file of the build, or a plain-text refusal. */
export async function appResponse(requestUrl: string, rendererDir: string): Promise<Response> {
  const refuse = (status: number, reason: string) => new Response(reason, { status, headers: headers('text/plain; charset=utf-8') });
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return refuse(400, 'malformed URL');
  }
  if (url.host !== APP_HOST) return refuse(404, 'not found');
  const resolved = resolveStaticPath(rendererDir, url.pathname);
  if (!resolved.ok) return refuse(resolved.status, resolved.reason);
  try {
    const body = await readFile(resolved.file);
    return new Response(body, { status: 200, headers: headers(contentType(resolved.file)) });
  } catch {
    return refuse(404, 'not found');
  }
}

export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(request.url, rendererDir));
}
