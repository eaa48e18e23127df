import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/** Just enough of Electron's WebContents for the shell's logic. */
export class FakeWebContents extends EventEmitter {
  url = 'app://carpdeck/index.html';
  readonly postMessage = vi.fn();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  constructor(readonly id = 1) {
    super();
  }
  getURL(): string {
    return this.url;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export function fakeEvent() {
  return { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}
