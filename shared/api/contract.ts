// The one API contract between the CarpDeck UI and its backend, compiled by both sides.
//
// Why oRPC (+ zod 4): the contract is a value of its own, defined here in pure TypeScript and implemented
// elsewhere (electron/core/api/router.ts), so renaming a procedure or changing a field is a compile error in
// the renderer and the backend alike. Every input and output is a zod schema that oRPC checks at runtime, so a
// malformed call is refused with BAD_REQUEST before any handler runs. Streams are plain async iterators
// (`eventIterator`), and oRPC ships first-party adapters for both transports we need: MessagePort (Electron's
// MessagePortMain in main, the DOM MessagePort in the page) and WebSocket (`ws` in `carpdeck serve`, the
// browser's WebSocket in the page).
//
// Only JSON-safe types cross this boundary (numbers, strings, booleans, arrays, plain objects; times as epoch
// milliseconds), so the structured clone of a MessagePort and the JSON of a WebSocket carry the same values.
import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';

/** Where the UI runs: inside the Electron shell, or in a browser through `carpdeck serve`. */
export const AppModeSchema = z.enum(['electron', 'browser']);
export type AppMode = z.infer<typeof AppModeSchema>;

export const SystemInfoSchema = z.object({
  /** CarpDeck's version (package.json). */
  version: z.string(),
  mode: AppModeSchema,
  /** The backend's operating system as Node names it: 'linux', 'darwin', 'win32', ... */
  platform: z.string(),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

const eventBase = {
  /** Increases by one for every event the backend emits, across all subscribers: resume with `since`. */
  seq: z.number().int().nonnegative(),
  /** Epoch milliseconds when the backend emitted the event. */
  time: z.number(),
};

/**
 * The backend's event stream. `hello` opens every subscription (the UI's status bar shows "connected" from it),
 * `heartbeat` arrives at a fixed interval so a silent, dead connection is noticed, and `notice` carries things
 * the person at the screen should know (for example that `carpdeck serve` is shutting down).
 */
export const SystemEventSchema = z.discriminatedUnion('kind', [
  z.object({
    ...eventBase,
    kind: z.literal('hello'),
    info: SystemInfoSchema,
    heartbeatMs: z.number().int().positive(),
    /** Identifies this run of the backend; seq numbers restart with a new run. */
    run: z.string(),
  }),
  z.object({ ...eventBase, kind: z.literal('heartbeat') }),
  z.object({ ...eventBase, kind: z.literal('notice'), level: z.enum(['info', 'warning']), message: z.string() }),
]);
export type SystemEvent = z.infer<typeof SystemEventSchema>;

export const SystemEventsInputSchema = z
  .object({
    /** Replay the notices still buffered whose seq is greater than this (after a reconnect). */
    since: z.number().int().nonnegative().optional(),
    /** The `run` of the hello that `since` belongs to; if the backend restarted since, all buffered notices are replayed. */
    run: z.string().max(100).optional(),
  })
  .optional();
export type SystemEventsInput = z.infer<typeof SystemEventsInputSchema>;

export const contract = {
  system: {
    info: oc.output(SystemInfoSchema),
    events: oc.input(SystemEventsInputSchema).output(eventIterator(SystemEventSchema)),
  },
};

export type Contract = typeof contract;
