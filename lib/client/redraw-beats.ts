/**
 * When each live part of the desk redraws, as offsets within its period. Every redraw is its own
 * short task, and parts that redraw at the same rate take turns instead of landing in one frame:
 *
 *   every 500 ms at 0      figures, feed (the desk stream)
 *   (no beat)              the liquidation queue: follows each desk frame that changed it, as a
 *                          deferred value (a small virtualised table whose rows redraw only when
 *                          they change; frames come at most ~9 a second)
 *   every 1 s at 250 ms    marks, price sources, the stress panel's marks (the markets stream)
 *   every 1 s at 375 ms    the margin-ratio histogram (when a count changed, on screen)
 *   every 1 s at 700 ms    ages and cool-down countdowns (the shared clock)
 *   every 1 s at 63 + 125·k ms   mark chart k of 8 (on screen; spread evenly for other counts)
 *   every 2 s at 1,625 ms  the selected accounts' ratio chart (when a point changed, on screen)
 *
 * On an account's page:
 *
 *   every 1 s at 500 ms    the margin history chart (its newest point is the live view, pushed up
 *                          to 10 times a second; the figures above it follow every push)
 */
export interface Beat {
  periodMs: number;
  offsetMs: number;
}

export const DESK_BEAT: Beat = { periodMs: 500, offsetMs: 0 };
export const MARKETS_BEAT: Beat = { periodMs: 1000, offsetMs: 250 };
export const HISTOGRAM_BEAT: Beat = { periodMs: 1000, offsetMs: 375 };
export const CLOCK_BEAT: Beat = { periodMs: 1000, offsetMs: 700 };
export const ACCOUNT_CHART_BEAT: Beat = { periodMs: 1000, offsetMs: 500 };
export const SELECTED_RATIOS_BEAT: Beat = { periodMs: 2000, offsetMs: 1625 };

/** Mark chart `index` of `count`: spread over the second, between the beats above. */
export function markChartBeat(index: number, count: number): Beat {
  const n = Math.max(1, count);
  return { periodMs: 1000, offsetMs: Math.round(1000 / n / 2 + ((index % n) * 1000) / n) };
}

/** Epoch ms of the next time on `beat` after `now`. */
export function nextBeat(beat: Beat, now: number): number {
  return Math.floor((now - beat.offsetMs) / beat.periodMs) * beat.periodMs + beat.offsetMs + beat.periodMs;
}
