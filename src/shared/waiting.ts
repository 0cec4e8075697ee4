// Whether an answer in flight is waiting on its provider, and for how long: the chat's line under
// the answer and the progress notification both say so. Pure, no strings (each side words it in
// its own language setup). Imports nothing: both bundles include it.

/**
 * `sending`: the request went out and no response has begun (no headers yet: the connect timeout
 * runs). `waiting`: the provider accepted the request and has sent none of the answer yet (the idle
 * timeout runs). `stalled`: text had arrived, then nothing for `STALL_MS` or longer.
 */
export type WaitPhase = 'sending' | 'waiting' | 'stalled';

export interface WaitState {
  phase: WaitPhase;
  /** How long the wait has lasted so far, in ms: since the request for `sending` and `waiting`, since the last text for `stalled`. */
  ms: number;
}

/**
 * Silence mid-answer that is worth saying: models pause between tokens for a second now and then
 * (a tool, a long think), but three seconds without a word is a wait the user should see.
 */
export const STALL_MS = 3000;

/**
 * The wait an answer is in, if any. `elapsedMs`: since the request; `accepted`: the response has
 * begun; `lastTokenMs`: when the latest text or reasoning arrived, since the request (undefined
 * before any).
 */
export function waitState(t: { elapsedMs: number; accepted: boolean; lastTokenMs?: number }, stallMs = STALL_MS): WaitState | undefined {
  if (t.lastTokenMs === undefined) return { phase: t.accepted ? 'waiting' : 'sending', ms: Math.max(0, t.elapsedMs) };
  const silent = t.elapsedMs - t.lastTokenMs;
  return silent >= stallMs ? { phase: 'stalled', ms: silent } : undefined;
}

/** Whole seconds of a wait, as the messages say it ("12 s"): counted up, like a clock, never rounded ahead. */
export function waitSeconds(ms: number): number {
  return Math.max(0, Math.floor(ms / 1000));
}
