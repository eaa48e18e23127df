import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MessagePort as NodeMessagePort } from 'node:worker_threads';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/message-port';
import type { ApiClient } from '../../../renderer/src/api/client.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeWebContents, fakeEvent } from './fakes.js';

const electron = vi.hoisted(() => {
  const calls: string[] = [];
  const appEvents = new Map<string, (...args: unknown[]) => void>();
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  return {
    calls,
    appEvents,
    ready: () => ready(),
    windows: [] as Array<{ options: Record<string, unknown>; loadURL: ReturnType<typeof import('vitest').vi.fn>; webContents: unknown }>,
    permission: { request: undefined as unknown, check: undefined as unknown },
    handled: [] as string[],
    userData: '',
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      // stands in for the OS keyring: reversible, but not plaintext
      encryptString: (plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
      decryptString: (sealed: Buffer) => Buffer.from(sealed.map((b) => b ^ 0x5a)).toString('utf8'),
    },
    app: {
      enableSandbox: () => calls.push('enableSandbox'),
      requestSingleInstanceLock: () => true,
      getVersion: () => '1.2.3',
      getPath: (name: string) => (name === 'userData' ? electron.userData : '/nonexistent'),
      quit: () => calls.push('quit'),
      on: (name: string, fn: (...args: unknown[]) => void) => appEvents.set(name, fn),
      whenReady: () => {
        calls.push('whenReady');
        return whenReady;
      },
    },
  };
});

vi.mock('electron', async () => {
  const { MessageChannel } = await import('node:worker_threads');
  const { FakeWebContents: Contents } = await import('./fakes.js');
  const { EventEmitter } = await import('node:events');
  const { vi: mocks } = await import('vitest');
  class BrowserWindow extends EventEmitter {
    readonly webContents = new Contents(42);
    readonly loadURL = mocks.fn(async () => undefined);
    constructor(readonly options: Record<string, unknown>) {
      super();
      electron.windows.push(this);
    }
  }
  return {
    app: electron.app,
    safeStorage: electron.safeStorage,
    BrowserWindow,
    MessageChannelMain: MessageChannel,
    protocol: {
      registerSchemesAsPrivileged: (schemes: Array<{ scheme: string }>) => electron.calls.push(`registerSchemesAsPrivileged:${schemes.map((s) => s.scheme)}`),
      handle: (scheme: string) => electron.handled.push(scheme),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: unknown) => (electron.permission.request = h),
        setPermissionCheckHandler: (h: unknown) => (electron.permission.check = h),
        setDevicePermissionHandler: () => undefined,
      },
    },
  };
});

describe('Electron main process wiring', () => {
  beforeAll(async () => {
    electron.userData = mkdtempSync(path.join(tmpdir(), 'carpdeck-main-'));
    await import('../../../electron/main/main.js');
  });

  it('enables the sandbox and registers app:// before the app is ready', () => {
    expect(electron.calls.slice(0, 3)).toEqual(['enableSandbox', 'registerSchemesAsPrivileged:app', 'whenReady']);
    expect(electron.windows).toHaveLength(0);
  });

  afterAll(() => rmSync(electron.userData, { recursive: true, force: true }));

  it('when ready: allows only notifications, serves app://, opens one hardened window on app://carpdeck', async () => {
    electron.ready();
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
    expect(electron.handled).toEqual(['app']);
    const request = electron.permission.request as (c: unknown, p: string, cb: (v: boolean) => void, d: { requestingUrl: string }) => void;
    const denied = vi.fn();
    request({}, 'geolocation', denied, { requestingUrl: 'app://carpdeck/index.html' });
    expect(denied).toHaveBeenCalledWith(false);
    const granted = vi.fn();
    request({}, 'notifications', granted, { requestingUrl: 'app://carpdeck/index.html' });
    expect(granted).toHaveBeenCalledWith(true);
    const [win] = electron.windows;
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect((win.options.webPreferences as { preload: string }).preload).toMatch(new RegExp(`\\${path.sep}preload\\.cjs$`));
    expect(win.loadURL).toHaveBeenCalledWith('app://carpdeck/index.html');
  });

  it('hands the window its API port after load, answering as the electron app', async () => {
    const contents = electron.windows[0].webContents as FakeWebContents;
    contents.emit('did-finish-load');
    expect(contents.postMessage).toHaveBeenCalledWith('rpc-port', null, [expect.anything()]);
    const port = contents.postMessage.mock.calls[0][2][0] as NodeMessagePort;
    const client = createORPCClient<ApiClient>(new RPCLink({ port: port as unknown as MessagePort }));
    port.start();
    try {
      expect(await client.system.info()).toEqual({ version: '1.2.3', mode: 'electron', platform: process.platform });
      expect(await client.cluster.credentials.list()).toEqual({ persistent: true, targets: [] });
    } finally {
      port.close();
    }
  });

  it('hardens every webContents the app creates', () => {
    const contents = new FakeWebContents(9);
    electron.appEvents.get('web-contents-created')?.({}, contents);
    const e = fakeEvent();
    contents.emit('will-navigate', e, 'https://evil.example/');
    expect(e.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('quits when the window is closed', () => {
    electron.appEvents.get('window-all-closed')?.();
    expect(electron.calls).toContain('quit');
  });
});
