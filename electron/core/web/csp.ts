// The Content-Security-Policy both the Electron app:// handler and the headless server send with every
// response. The UI's only worker (the Diagnostics parser) is a bundled file, so `worker-src 'self'` suffices.

const directives: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** The policy, with extra `connect-src` sources (the headless server adds its own ws:// origin). */
export function contentSecurityPolicy(extraConnectSrc: readonly string[] = []): string {
  return directives
    .map(([name, value]) => (name === 'connect-src' && extraConnectSrc.length ? `${name} ${value} ${extraConnectSrc.join(' ')}` : `${name} ${value}`))
    .join('; ');
}

/** Headers sent with every static response besides the CSP. */
export const staticSecurityHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
