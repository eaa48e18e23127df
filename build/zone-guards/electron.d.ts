// Zone guard: tsconfig `paths` points `electron` here outside electron/main and electron/preload, so any use of it
// fails to compile with the message below.
export declare const ZONE_VIOLATION: 'electron may only be imported by electron/main and electron/preload';
