import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { APP_URL, guardNavigation, hardenWebContents, isAppUrl, restrictPermissions, webPreferences } from '../../../electron/main/security.js';
import { FakeWebContents, fakeEvent } from './fakes.js';

describe('Electron security baseline', () => {
  it('runs the page isolated and sandboxed, without Node, with web security on', () => {
    expect(webPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('recognises only app://carpdeck as the app', () => {
    expect(isAppUrl(APP_URL)).toBe(true);
    expect(isAppUrl('app://carpdeck/assets/x.js')).toBe(true);
    for (const url of ['app://other/index.html', 'file:///etc/passwd', 'https://carpdeck', 'http://127.0.0.1:5000/', 'not a url']) {
      expect(isAppUrl(url)).toBe(false);
    }
  });

  it.each(['https://evil.example/', 'file:///etc/passwd', 'app://elsewhere/'])('cancels navigation to %s', (url) => {
    const e = fakeEvent();
    guardNavigation(e, url);
    expect(e.defaultPrevented).toBe(true);
  });

  it('lets the app navigate within itself', () => {
    const e = fakeEvent();
    guardNavigation(e, 'app://carpdeck/index.html#diagnostics');
    expect(e.defaultPrevented).toBe(false);
  });

  it('hardens every webContents: navigation and redirects guarded, window.open and <webview> denied', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as unknown as WebContents);
    for (const name of ['will-navigate', 'will-redirect']) {
      const e = fakeEvent();
      contents.emit(name, e, 'https://evil.example/');
      expect(e.defaultPrevented).toBe(true);
    }
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: APP_URL })).toEqual({ action: 'deny' });
  });

  it('grants notifications to the app page only, and denies every other permission request and check', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    };
    restrictPermissions(session as unknown as Session);
    const request = handlers.request as (c: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string }) => void;
    const check = handlers.check as (c: unknown, p: string, origin: string) => boolean;
    const answer = (permission: string, url: string) => {
      const callback = vi.fn();
      request({}, permission, callback, { requestingUrl: url });
      return callback.mock.calls[0][0] as boolean;
    };
    expect(answer('notifications', APP_URL)).toBe(true);
    expect(check({}, 'notifications', 'app://carpdeck')).toBe(true);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'midi']) {
      expect(answer(permission, APP_URL)).toBe(false);
      expect(check({}, permission, 'app://carpdeck')).toBe(false);
    }
    expect(answer('notifications', 'https://evil.example/')).toBe(false);
    expect(check({}, 'notifications', 'https://evil.example')).toBe(false);
    expect((handlers.device as () => boolean)()).toBe(false);
  });
});
