// A real Prometheus for end-to-end tests: the Debian `prometheus` binary (installed by .ci/run from
// .ci/apt-packages) started on 127.0.0.1 with a temporary config and a 1s scrape interval, scraping
// a small exporter whose per-service error ratio the test controls.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./start-app.js";

/** The binary's path, or why there is none (the tests that need it report themselves skipped with this reason). */
export function findPrometheus(): { path: string } | { missing: string } {
  const which = spawnSync("sh", ["-c", "command -v prometheus"], { encoding: "utf8" });
  const path = which.stdout.trim();
  if (which.status !== 0 || path === "") return { missing: "no `prometheus` binary on PATH (install the Debian package `prometheus`; .ci/run does)" };
  return { path };
}

export interface Exporter {
  url: string;
  port: number;
  /** Error ratio per service; a service without an entry exposes no series at all (a silent exporter). */
  ratios: Map<string, number>;
  /** Requests per second per service (100 when unset). */
  rates: Map<string, number>;
  /**
   * Services whose requests are whole and whose errors are drawn at random (binomial, seeded)
   * instead of the exact fraction: real traffic is noisy, and an A/A test without noise is too kind.
   */
  noisy: Set<string>;
  close(): Promise<void>;
}

/** Serves `/metrics` with `http_requests_total{service,code}` counters growing 100/s (or `rates`), and `/control?service=&ratio=[&rate=]`. */
export async function startExporter(): Promise<Exporter> {
  const ratios = new Map<string, number>();
  const rates = new Map<string, number>();
  const noisy = new Set<string>();
  const random = seededRandom(16);
  const counters = new Map<string, { ok: number; errors: number; last: number; carry?: number }>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/control") {
      const service = url.searchParams.get("service") ?? "";
      const ratio = Number(url.searchParams.get("ratio"));
      ratios.set(service, ratio);
      const rate = url.searchParams.get("rate");
      if (rate !== null) rates.set(service, Number(rate));
      res.writeHead(200).end(`ok ${service}=${ratio}\n`);
      return;
    }
    const now = Date.now();
    const lines = ["# TYPE http_requests_total counter"];
    for (const [service, ratio] of ratios) {
      const c = counters.get(service) ?? { ok: 0, errors: 0, last: now };
      let requests = ((now - c.last) / 1000) * (rates.get(service) ?? 100);
      let errors = requests * ratio;
      if (noisy.has(service)) {
        // Whole requests only; the fraction is carried to the next scrape.
        const due = requests + (c.carry ?? 0);
        requests = Math.floor(due);
        c.carry = due - requests;
        errors = binomial(requests, ratio, random);
      }
      c.last = now;
      c.errors += errors;
      c.ok += requests - errors;
      counters.set(service, c);
      lines.push(`http_requests_total{service="${service}",code="200"} ${c.ok}`, `http_requests_total{service="${service}",code="500"} ${c.errors}`);
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(`${lines.join("\n")}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ratios,
    rates,
    noisy,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface RunningPrometheus {
  url: string;
  logs: string[];
  query(expr: string): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startPrometheus(binary: string, scrapeTarget: string): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), "rg-prometheus-"));
  try {
    return await startIn(dir, binary, scrapeTarget);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Its TSDB lives in `dir`, removed once the server has stopped. */
async function startIn(dir: string, binary: string, scrapeTarget: string): Promise<RunningPrometheus> {
  const port = await freePort();
  const config = [
    "global:",
    "  scrape_interval: 1s",
    "  evaluation_interval: 1s",
    "scrape_configs:",
    "  - job_name: shop",
    "    static_configs:",
    `      - targets: ["${scrapeTarget}"]`,
  ].join("\n");
  await writeFile(join(dir, "prometheus.yml"), `${config}\n`);
  const child: ChildProcess = spawn(
    binary,
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const logs: string[] = [];
  child.stdout!.on("data", (c: Buffer) => logs.push(c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => logs.push(c.toString("utf8")));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${logs.join("")}`);
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok).catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`prometheus did not become ready:\n${logs.join("")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    logs,
    query: async (expr) => (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)).json(),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function errorRatioQuery(service: string, window = "5s"): string {
  return `sum(rate(http_requests_total{service="${service}",code=~"5.."}[${window}])) / sum(rate(http_requests_total{service="${service}"}[${window}]))`;
}

/** mulberry32: a small seeded generator, so a noisy exporter draws the same sequence each run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Binomial(n, p): exact for small n, the normal approximation (rounded, clamped) for large n·p. */
function binomial(n: number, p: number, random: () => number): number {
  if (n * p * (1 - p) < 25) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random() < p) k++;
    return k;
  }
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.min(n, Math.max(0, Math.round(n * p + z * Math.sqrt(n * p * (1 - p)))));
}

/**
 * Waits until every query has an answer (a number, not NaN: a rate needs two scrapes), so a test's
 * first samples are never "no data". `hasData` decides per answer; the default wants one finite value.
 */
export async function untilData(prom: RunningPrometheus, queries: readonly string[], hasData = firstValueIsNumber, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const query of queries) {
    for (;;) {
      const body = (await prom.query(query)) as PrometheusAnswer;
      if (hasData(body)) break;
      if (Date.now() > deadline) throw new Error(`no data for ${query} in Prometheus:\n${prom.logs.join("")}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

type PrometheusAnswer = { data?: { result?: Array<{ value?: [number, string] }> } };
function firstValueIsNumber(body: PrometheusAnswer): boolean {
  const value = body.data?.result?.[0]?.value?.[1];
  return value !== undefined && value !== "NaN";
}
/** Any series at all (counters sampled by `increase` later). */
export const anySeries = (body: PrometheusAnswer): boolean => (body.data?.result?.length ?? 0) > 0;
