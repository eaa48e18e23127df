// The network-namespace lab harness (see lab.ts); import from here.
export { createLab, labUnavailableReason } from './lab.js';
export type { Capture, Lab, LabBridge, LabNode, LinkOptions, NodeOptions, SpawnOptions } from './lab.js';
export type { ExecOptions, ExecResult, LabProcess } from './proc.js';
export { analysePing, startPinger, PING_INTERVAL_S } from './pinger.js';
export type { Outage, Pinger, PingReport } from './pinger.js';
export { startUcarp } from './ucarp.js';
export type { Ucarp, UcarpOptions } from './ucarp.js';
export { sleep, waitFor } from './wait.js';
