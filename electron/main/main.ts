// The Electron shell: security baseline, app:// protocol, one window, and the API over a MessagePort. All
// application logic lives in electron/core, which never imports `electron`.
import path from 'node:path';
import { app, protocol, safeStorage, session, type BrowserWindow } from 'electron';
import { EventHub } from '../core/api/events.js';
import { createRouter } from '../core/api/router.js';
import { ClusterService } from '../core/cluster/service.js';
import type { Platform } from '../core/platform.js';
import { connectRenderer } from './port.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { electronCredentials } from './secrets.js';
import { APP_URL, hardenWebContents, restrictPermissions } from './security.js';
import { createMainWindow } from './window.js';

// Bundled to dist/electron/main.cjs next to preload.cjs; the renderer build is dist/renderer.
const preloadPath = path.join(__dirname, 'preload.cjs');
const rendererDir = path.join(__dirname, '..', 'renderer');

app.enableSandbox();
registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | undefined;
  let cluster: ClusterService | undefined;

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('window-all-closed', () => {
    cluster?.dispose();
    app.quit();
  });

  void app.whenReady().then(async () => {
    restrictPermissions(session.defaultSession);
    handleAppProtocol(protocol, rendererDir);
    // safeStorage is usable only once the app is ready, so the API (which holds the credential store) starts here
    const userData = app.getPath('userData');
    const secrets = await electronCredentials(safeStorage, userData);
    const knownHostsFile = path.join(userData, 'known-hosts.json');
    const platform: Platform = { mode: 'electron', version: app.getVersion(), os: process.platform, secrets, knownHostsFile };
    const events = new EventHub();
    cluster = new ClusterService({ credentials: secrets, knownHostsFile });
    const router = createRouter({ platform, events, cluster });
    if (secrets.notice) events.notify('warning', secrets.notice);
    win = createMainWindow(preloadPath);
    connectRenderer(win.webContents, router);
    win.on('closed', () => {
      win = undefined;
    });
    await win.loadURL(APP_URL);
  });
}
