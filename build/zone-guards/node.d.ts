// Zone guard: tsconfig `paths` points `node:*` here in shared/ and renderer/, so any use of a Node module fails to
// compile with the message below.
export declare const ZONE_VIOLATION: 'shared/ and renderer/ must not use Node modules';
