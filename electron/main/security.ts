// The Electron security baseline (developers' guide §2) as small functions: what the window may load, where it
// may navigate, what it may open and which permissions it gets (notifications only).
import type { Session, WebContents, WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'carpdeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** True for URLs of our own bundled UI (app://carpdeck/...), and nothing else. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Navigation stays inside the app: anything that would leave app://carpdeck is cancelled. */
export function guardNavigation(event: { preventDefault(): void }, url: string): void {
  if (!isAppUrl(url)) event.preventDefault();
}

/** Applied to every webContents the app creates: no leaving the app, no new windows, no <webview>. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', guardNavigation);
  contents.on('will-redirect', guardNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The one web permission the page gets: desktop notifications (failovers). Everything else is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

/** Permission requests and checks: notifications from our own app:// page only; camera, mic, location, etc. denied. */
export function restrictPermissions(session: Session): void {
  const allowed = (permission: string, url: string | undefined) => ALLOWED_PERMISSIONS.has(permission) && url !== undefined && isAppUrl(url);
  session.setPermissionRequestHandler((contents, permission, callback, details) => callback(allowed(permission, details?.requestingUrl ?? contents?.getURL())));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}
