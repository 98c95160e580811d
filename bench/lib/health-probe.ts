/**
 * `/api/health` sampled as a load balancer would, from a process of its own (in the benchmark's
 * process it would also wait for the benchmark's own work), and the server's own event-loop delay
 * read from /api/metrics: whether the server's main thread itself was held up.
 */
import { spawn } from "node:child_process";
import type { AppServer } from "../../tests/support/app-server";

/** `GET /api/health` every `everyMs`, one request at a time, for `windowMs`: each answer's latency (ms), and the non-200s. */
export async function probeHealth(url: string, windowMs: number, everyMs: number): Promise<{ latencies: number[]; failures: number }> {
  const script = `
    const [url, windowMs, every] = process.argv.slice(1).map((a, i) => (i === 0 ? a : Number(a)));
    const latencies = []; let failures = 0; const end = performance.now() + windowMs; let next = performance.now();
    while (performance.now() < end) {
      const t = performance.now();
      const res = await fetch(url + "/api/health").then(async (r) => (await r.arrayBuffer(), r)).catch(() => null);
      if (res?.status === 200) latencies.push(performance.now() - t); else failures++;
      next += every;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
    process.stdout.write(JSON.stringify({ latencies, failures }));`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, url, String(Math.max(0, windowMs)), String(everyMs)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`the health prober exited ${code}`);
  return JSON.parse(out) as { latencies: number[]; failures: number };
}

/** The server's event-loop delay p99 and max (ms) since the previous scrape (prom-client resets its monitor on each). */
export async function eventLoopDelay(server: AppServer, metricsToken: string): Promise<{ p99: number; max: number }> {
  const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
  if (res.status !== 200) throw new Error(`/api/metrics answered ${res.status}`);
  const text = await res.text();
  const read = (name: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${name} `));
    return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) * 1000 : NaN;
  };
  return { p99: read("liqdesk_nodejs_eventloop_lag_p99_seconds"), max: read("liqdesk_nodejs_eventloop_lag_max_seconds") };
}
