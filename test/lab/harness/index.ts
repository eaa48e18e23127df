// The network-namespace lab harness (see lab.ts); import from here.
export { createLab, labUnavailableReason } from './lab.js';
export type { Capture, Lab, LabBridge, LabNode, LinkOptions, NodeOptions, SpawnOptions } from './lab.js';
export type { ExecOptions, ExecResult, LabProcess } from './proc.js';
export { analysePing, startPinger, PING_INTERVAL_S } from './pinger.js';
export type { Outage, Pinger, PingReport } from './pinger.js';
export { startUcarp } from './ucarp.js';
export type { Ucarp, UcarpOptions } from './ucarp.js';
export { sleep, waitFor, WaitAbort } from './wait.js';
export { injectCarp } from './inject.js';
export type { InjectOptions } from './inject.js';
export { startKeepalived } from './keepalived.js';
export type { KeepalivedOptions } from './keepalived.js';
export { carpctl, carpdUnavailableReason, repoRoot, restartCarpd, startCarpd } from './carpd.js';
export type { Carpd, CarpdConfig, CarpdStatus, CarpdVhidConfig, CarpdVhidStatus, CarpState } from './carpd.js';
export { checksumOk, ipOf, readPcap } from './pcap.js';
export type { Frame, IpPacket } from './pcap.js';
