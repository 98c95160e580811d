/**
 * Which tick a page shows, and how long each tick took to get there (bench/tick-to-dom.ts). Pure:
 * the benchmark turns what it recorded (send times, DOM changes, socket frames) into observations
 * `{ t, tick }` — at time t the page (or a push) showed the figures of tick `tick` — and this file
 * turns them into latencies.
 *
 * For each measured tick i sent at s_i:
 *   exact                 t − s_i of the first observation of tick i itself;
 *   shown or superseded   t − s_i of the first observation of tick i or of a later tick: how long
 *                         the page kept showing figures older than tick i. A tick whose figures
 *                         never appear because the next tick replaced them before a push
 *                         (superseded) still counts here, with the wait until the newer figures;
 *   never                 no observation of tick i or a later one before the records end.
 */

export interface Observation {
  /** When it was shown, epoch ms on the benchmark's clock. */
  t: number;
  /** Index of the tick whose figures were shown. */
  tick: number;
}

export interface TickLatencies {
  /** Latency of each tick shown exactly, ms (in tick order). */
  exact: number[];
  /** Latency of each tick, shown or superseded, ms (in tick order). */
  shownOrSuperseded: number[];
  /** Ticks never shown themselves, but followed by a newer tick's figures. */
  superseded: number;
  /** Ticks with no observation of them or a later tick. */
  never: number;
  /** The ticks that were shown exactly, by index (for splits). */
  exactTicks: number[];
}

/**
 * Latencies of the ticks `measured` (indices into `sentAt`, epoch ms of each tick's send).
 * `observations` in any order; those before a tick's send never count for it.
 */
export function tickLatencies(sentAt: readonly number[], measured: readonly number[], observations: readonly Observation[]): TickLatencies {
  const obs = [...observations].sort((a, b) => a.t - b.t);
  const out: TickLatencies = { exact: [], shownOrSuperseded: [], superseded: 0, never: 0, exactTicks: [] };
  for (const i of measured) {
    const s = sentAt[i]!;
    let exact: number | null = null;
    let newer: number | null = null;
    for (const o of obs) {
      if (o.t < s) continue;
      if (newer === null && o.tick >= i) newer = o.t;
      if (o.tick === i) {
        exact = o.t;
        break;
      }
      if (o.tick > i && newer !== null) break;
    }
    if (newer === null) {
      out.never += 1;
      continue;
    }
    out.shownOrSuperseded.push(newer - s);
    if (exact === null) out.superseded += 1;
    else {
      out.exact.push(exact - s);
      out.exactTicks.push(i);
    }
  }
  return out;
}

/** A state of the queue row as read from the page or a push: present with the mark it shows, or absent. */
export interface RowState {
  t: number;
  present: boolean;
  /** The tick whose mark the row shows (null when absent, or a mark of no tick sent). */
  tick: number | null;
}

/**
 * Observations of a queue row that is present on some ticks (the row names its tick by its mark)
 * and absent on the others. An absence after the row showed tick j is attributed to tick j + 1,
 * the first tick that could have removed it: if a later tick removed it, its latency is counted
 * from an earlier send, so never shorter than it was. An absence before any known presence names
 * no tick and is left out.
 */
export function rowObservations(states: readonly RowState[]): Observation[] {
  const out: Observation[] = [];
  let lastShown: number | null = null;
  for (const s of [...states].sort((a, b) => a.t - b.t)) {
    if (s.present) {
      lastShown = s.tick;
      if (s.tick !== null) out.push({ t: s.t, tick: s.tick });
    } else if (lastShown !== null) {
      out.push({ t: s.t, tick: lastShown + 1 });
    }
  }
  return out;
}

/** The index of the value closest to `value` among `expected`, if within `relTol` of it; else null. */
export function matchTick(expected: readonly (number | null)[], value: number, relTol = 1e-9): number | null {
  let best: number | null = null;
  let bestErr = Infinity;
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k];
    if (e === null || e === undefined) continue;
    const err = Math.abs(e - value);
    if (err < bestErr) {
      bestErr = err;
      best = k;
    }
  }
  return best !== null && bestErr <= relTol * Math.max(Math.abs(value), 1e-300) ? best : null;
}
