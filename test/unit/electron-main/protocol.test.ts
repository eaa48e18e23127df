import { afterAll, describe, expect, it, vi } from 'vitest';
import { appResponse, handleAppProtocol, registerAppScheme } from '../../../electron/main/protocol.js';
import { makeSite } from '../app/helpers.js';

describe('app:// protocol', () => {
  const site = makeSite();
  afterAll(() => site.remove());

  it('registers app as a standard, secure scheme before the app is ready', () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('serves index.html of the renderer build with the CSP header', async () => {
    const res = await appResponse('app://carpdeck/index.html', site.staticDir);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>CarpDeck</title>');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it.each(['app://carpdeck/..%2fpackage.json', 'app://carpdeck/assets/..%2F..%2Fpackage.json', 'app://carpdeck/%2e%2e%2fpackage.json'])(
    'refuses the traversal %s',
    async (url) => {
      const res = await appResponse(url, site.staticDir);
      expect(res.status).toBe(400);
      expect(await res.text()).not.toContain(site.secret);
    },
  );

  it('answers 404 for another host or a missing file', async () => {
    expect((await appResponse('app://elsewhere/index.html', site.staticDir)).status).toBe(404);
    expect((await appResponse('app://carpdeck/missing.js', site.staticDir)).status).toBe(404);
  });

  it('routes every app:// request through the handler', async () => {
    const handle = vi.fn();
    handleAppProtocol({ handle }, site.staticDir);
    expect(handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = handle.mock.calls[0][1] as (r: Request) => Promise<Response>;
    expect((await handler(new Request('app://carpdeck/assets/app.js'))).status).toBe(200);
  });
});
