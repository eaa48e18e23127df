// The main window: sandboxed, context-isolated, no Node; shown once its first paint is ready.
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { webPreferences } from './security.js';

export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'CarpDeck',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: webPreferences(preload),
  };
}

export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preload));
  win.once('ready-to-show', () => win.show());
  return win;
}
