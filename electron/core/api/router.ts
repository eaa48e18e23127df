// The backend's implementation of shared/api/contract.ts, the same for the Electron MessagePort and the
// headless server's WebSocket.
import { implement } from '@orpc/server';
import { contract, type SystemInfo } from '../../../shared/api/contract.js';
import type { Platform } from '../platform.js';
import type { EventHub } from './events.js';

export interface RouterDeps {
  platform: Platform;
  events: EventHub;
}

export function createRouter({ platform, events }: RouterDeps) {
  const api = implement(contract);
  const info = (): SystemInfo => ({ version: platform.version, mode: platform.mode, platform: platform.os });
  return api.router({
    system: {
      info: api.system.info.handler(() => info()),
      events: api.system.events.handler(({ input, signal }) => events.subscribe(info(), input ?? {}, signal)),
    },
  });
}

export type AppRouter = ReturnType<typeof createRouter>;
