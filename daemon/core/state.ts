import { vhidKey, type VhidConfig } from '../config/schema.js';
import type { CoreState, VhidRuntime } from './types.js';

export function newVhidRuntime(config: VhidConfig): VhidRuntime {
  return {
    key: vhidKey(config),
    config,
    state: 'INIT',
    counter: 0n,
    counterInit: true,
    authWarnSuppressed: 0,
    counters: { sent: 0, received: 0, rejected: {} },
  };
}

export function newCoreState(node: string, vhids: VhidConfig[], trackInterfaces: string[]): CoreState {
  return {
    node,
    vhids: vhids.map(newVhidRuntime),
    demotion: {},
    links: {},
    trackInterfaces,
    interfaces: {},
    unmatched: {},
    consecutiveSendErrors: 0,
    consecutiveSendOk: 0,
  };
}

/** Every vhid interface is tracked, plus the configured extra ones. */
export function trackedInterfaces(s: CoreState): string[] {
  return [...new Set([...s.vhids.map((v) => v.config.interface), ...s.trackInterfaces])];
}
