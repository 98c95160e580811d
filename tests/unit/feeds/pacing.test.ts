import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeltaStream, type NumberedDelta } from "@/lib/server/feeds/delta-stream";
import { Pacer } from "@/lib/server/feeds/pacer";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the pacing every feed shares", () => {
  it("runs at once (next turn) after a quiet interval, then at most once per interval however many requests come", async () => {
    const runs: number[] = [];
    const pacer = new Pacer(100, (now) => void runs.push(now));
    pacer.request();
    pacer.request();
    expect(runs).toEqual([]); // not in this turn: what the turn still queues goes with it
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([1_000_000]);
    for (let i = 0; i < 9; i++) {
      await vi.advanceTimersByTimeAsync(10);
      pacer.request();
    }
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toEqual([1_000_000, 1_000_100]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(2); // nothing asked, nothing run
    pacer.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([1_000_000, 1_000_100, 1_001_100]);
  });

  it("stretch: the next run waits that long after the last began (once), never less than the interval", async () => {
    const runs: number[] = [];
    const pacer = new Pacer(100, (now) => void runs.push(now));
    pacer.request();
    await vi.advanceTimersByTimeAsync(0);
    pacer.stretch(760);
    pacer.request();
    await vi.advanceTimersByTimeAsync(759);
    expect(runs).toEqual([1_000_000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([1_000_000, 1_000_760]);
    pacer.stretch(30); // shorter than the interval: the interval holds
    pacer.request();
    await vi.advanceTimersByTimeAsync(99);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([1_000_000, 1_000_760, 1_000_860]);
    pacer.request(); // the stretch was for one run only
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toEqual([1_000_000, 1_000_760, 1_000_860, 1_000_960]);
  });

  it("never overlaps a run that is still going: a request meanwhile runs once after it, no sooner than the interval", async () => {
    let active = 0;
    let most = 0;
    const runs: number[] = [];
    const pacer = new Pacer(100, async (now) => {
      active += 1;
      most = Math.max(most, active);
      runs.push(now);
      await new Promise((r) => setTimeout(r, 250));
      active -= 1;
    });
    pacer.request();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(40);
      pacer.request();
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(most).toBe(1);
    expect(runs).toHaveLength(2);
    // Right after the first run ends (a zero-delay timer: the next millisecond).
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(250);
    expect(runs[1]! - runs[0]!).toBeLessThan(260);

    const quick: number[] = [];
    const q = new Pacer(100, async (now) => {
      quick.push(now);
      await Promise.resolve();
    });
    q.request();
    await vi.advanceTimersByTimeAsync(0);
    q.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(quick).toHaveLength(1); // done at once, asked again: still one interval apart
    await vi.advanceTimersByTimeAsync(100);
    expect(quick).toHaveLength(2);
    expect(quick[1]! - quick[0]!).toBe(100);
  });

  it("runs nothing after stop, not even what was asked before", async () => {
    const runs: number[] = [];
    const pacer = new Pacer(100, (now) => void runs.push(now));
    pacer.request();
    pacer.stop();
    pacer.request();
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toEqual([]);
  });
});

interface Delta extends NumberedDelta {
  n: number;
}

describe("a numbered stream (markets, desk)", () => {
  it("numbers its deltas from its base without a gap; a delta whose build throws is not sent and takes no number", async () => {
    const sent: Delta[] = [];
    let n = 0;
    const stream: DeltaStream<Delta> = new DeltaStream<Delta>(41, 100, (now) => {
      n += 1;
      if (n === 2) {
        expect(() => stream.emit(() => { throw new Error("does not fit"); })).toThrow("does not fit");
        return;
      }
      stream.emit((seq) => ({ seq, serverTime: now, n }));
    });
    expect(stream.seq()).toBe(41);
    stream.start((d) => sent.push(d));
    for (let i = 0; i < 4; i++) {
      stream.request();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(sent.map((d) => d.seq)).toEqual([42, 43, 44]);
    expect(sent.map((d) => d.n)).toEqual([1, 3, 4]);
    expect(stream.seq()).toBe(44);
  });

  it("flushes nothing before it starts or after it stops (a snapshot serves the state)", async () => {
    let flushes = 0;
    const stream = new DeltaStream<Delta>(0, 100, () => void (flushes += 1));
    stream.request();
    await vi.advanceTimersByTimeAsync(500);
    expect(flushes).toBe(0);
    stream.start(() => undefined);
    stream.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(flushes).toBe(1);
    stream.stop();
    stream.request();
    await vi.advanceTimersByTimeAsync(500);
    expect(flushes).toBe(1);
    expect(stream.started).toBe(false);
  });
});
