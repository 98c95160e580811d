import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BoundedSlots, SlotsFullError } from "@/lib/engine/thread/bounded-slots";
import { WhatIfFailedError, WhatIfPool, type WhatIfPoolOptions } from "@/lib/engine/thread/what-if-pool";
import { parseRiskScenario } from "@/lib/contracts/risk-scenario";
import { evaluateScenario } from "@/lib/risk";
import { largeWhatIf } from "../../../bench/lib/whatif-scenario";
import { examplesDir } from "../risk/helpers/paths";

const example = readFileSync(path.join(examplesDir, "cross-margin.scenario.json"), "utf8");
const decoded = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as unknown;
/** A body as the route reads it: UTF-8 bytes in a buffer of their own. */
const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

describe("BoundedSlots", () => {
  it("lets `slots` holders in, queues at most `maxWaiting` in order and refuses the rest at once", async () => {
    const slots = new BoundedSlots(1, 1);
    const first = await slots.acquire();
    const order: string[] = [];
    const second = slots.acquire().then((release) => (order.push("second"), release));
    expect(slots.full()).toBe(true);
    await expect(slots.acquire()).rejects.toBeInstanceOf(SlotsFullError);
    first();
    first(); // a second release of the same slot changes nothing
    const release2 = await second;
    expect(order).toEqual(["second"]);
    expect([slots.running, slots.waiting]).toEqual([1, 0]);
    release2();
    expect([slots.running, slots.waiting]).toEqual([0, 0]);
  });
});

describe("WhatIfPool", { timeout: 120_000 }, () => {
  let pool: WhatIfPool | undefined;
  const open = (options: Partial<WhatIfPoolOptions> = {}) =>
    (pool = new WhatIfPool({ workers: 1, maxWaiting: 0, timeoutMs: 60_000, memoryMb: 512, ...options }));
  afterEach(async () => {
    await pool?.stop();
    pool = undefined;
  });

  it("answers a scenario in its thread exactly as lib/risk does in-process, and names bad fields", async () => {
    const p = open();
    const outcome = await p.evaluate(utf8(example));
    expect(outcome.ok).toBe(true);
    expect(decoded((outcome as { body: Uint8Array }).body)).toEqual(JSON.parse(JSON.stringify(evaluateScenario(parseRiskScenario(JSON.parse(example))))));
    expect(await p.evaluate(utf8("{"))).toEqual({ ok: false, fields: [{ path: "(body)", message: "body is not valid JSON" }] });
    expect(await p.evaluate(utf8(JSON.stringify({ markets: [], prices: {}, accounts: "x" })))).toEqual({
      ok: false, fields: [expect.objectContaining({ path: "accounts" })],
    });
    expect(p.threads).toBe(1);
  });

  it("decodes the body in its thread, strictly: invalid UTF-8 is refused, never replaced; the bytes move there uncopied", async () => {
    const p = open();
    const bad = utf8(`{"markets":[],"prices":{},"accounts":[{"id":"p-utf`);
    const invalid = new Uint8Array(bad.byteLength + 3);
    invalid.set(bad);
    invalid.set([0xff, 0xfe, 0x22], bad.byteLength);
    expect(await p.evaluate(invalid)).toEqual({ ok: false, fields: [{ path: "(body)", message: "body is not valid UTF-8" }] });
    const body = utf8(example);
    expect((await p.evaluate(body)).ok).toBe(true);
    expect(body.byteLength).toBe(0); // transferred to the thread: detached here, never copied
    // A view into a larger buffer would take the rest of that buffer along: refused.
    await expect(p.evaluate(utf8(` ${example}`).subarray(1))).rejects.toThrow(/own their whole buffer/);
  });

  it("refuses a what-if at once when every thread is busy and the wait is full", async () => {
    const p = open({ workers: 1, maxWaiting: 0 });
    const running = p.evaluate(utf8(largeWhatIf(20_000)));
    expect(p.full()).toBe(true);
    await expect(p.evaluate(utf8(example))).rejects.toBeInstanceOf(SlotsFullError);
    expect((await running).ok).toBe(true);
    expect(p.full()).toBe(false);
  });

  it("a thread that runs out of memory fails its what-if only (reason memory); the next starts a new thread", async () => {
    const p = open({ memoryMb: 32 });
    const failed = await p.evaluate(utf8(largeWhatIf(90_000))).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(WhatIfFailedError);
    expect((failed as WhatIfFailedError).reason).toBe("memory");
    expect((await p.evaluate(utf8(example))).ok).toBe(true);
  });

  it("a what-if past the time limit is stopped (reason timeout) and the pool goes on", async () => {
    const p = open({ timeoutMs: 300 });
    expect((await p.evaluate(utf8(example))).ok).toBe(true); // the limit runs from the job's start, not the thread's
    const failed = await p.evaluate(utf8(largeWhatIf(90_000))).catch((e: unknown) => e);
    expect((failed as WhatIfFailedError).reason).toBe("timeout");
    expect(p.threads).toBe(0);
    expect((await p.evaluate(utf8(example))).ok).toBe(true);
  });
});
