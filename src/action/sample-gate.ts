// Takes one reading of a gate from its provider: a Prometheus instant query, a JSON document over
// HTTP, or a command. Every failure (timeout, HTTP error, unreadable body) is a missing reading.
import type { Gate } from "../core/config/schema.js";
import { parseCommandOutput } from "../core/gates/parse-command-output.js";
import { parsePrometheusResponse } from "../core/gates/parse-prometheus-response.js";
import { readJsonPath } from "../core/gates/read-json-path.js";
import { redactSecrets } from "../core/gates/redact-secrets.js";
import { missingReading, type SampleReading } from "../core/gates/sample.js";
import type { CompareGate } from "../core/gates/compare-gate.js";
import type { CounterSample } from "../core/gates/watch-compare.js";
import { runShell } from "./shell.js";

export interface SampleOptions {
  timeoutMs: number;
  env: Record<string, string>;
  fetch?: typeof fetch;
}

export async function sampleGate(gate: Gate, options: SampleOptions): Promise<SampleReading> {
  const doFetch = options.fetch ?? fetch;
  if ("prometheus" in gate) {
    const url = prometheusQueryUrl(gate.prometheus.url, gate.prometheus.query);
    const body = await getJson(doFetch, url, options.timeoutMs, true);
    return "missing" in body ? body.missing : parsePrometheusResponse(body.json);
  }
  if ("http" in gate) {
    const body = await getJson(doFetch, gate.http.url, options.timeoutMs, false);
    return "missing" in body ? body.missing : readJsonPath(body.json, gate.http.path);
  }
  const result = await runShell(gate.command, { env: options.env, timeoutMs: options.timeoutMs });
  return parseCommandOutput(result);
}

const COUNTERS = [
  ["canaryErrors", "canary", "errors"],
  ["canaryTotal", "canary", "total"],
  ["baselineErrors", "baseline", "errors"],
  ["baselineTotal", "baseline", "total"],
] as const;

/**
 * One sampling round of a compare gate: its four counter queries sent at the same moment, so the
 * tracks are compared over the same interval. Any one missing (no series, NaN, an error) makes the
 * whole round missing: a partial round would compare different intervals.
 */
export async function sampleCounters(gate: CompareGate, options: Omit<SampleOptions, "env">): Promise<CounterSample> {
  const doFetch = options.fetch ?? fetch;
  const { url } = gate.compare.prometheus;
  const readings = await Promise.all(
    COUNTERS.map(async ([, track, counter]) => {
      const body = await getJson(doFetch, prometheusQueryUrl(url, gate.compare[track][counter]), options.timeoutMs, true);
      return "missing" in body ? body.missing : parsePrometheusResponse(body.json);
    }),
  );
  const values: Record<string, number> = {};
  for (const [i, [key, track, counter]] of COUNTERS.entries()) {
    const reading = readings[i]!;
    if (reading.kind === "missing") return { kind: "missing", detail: `${track} ${counter}: ${reading.reason}: ${reading.detail}` };
    values[key] = reading.value;
  }
  return { kind: "counters", reading: { canaryErrors: values.canaryErrors!, canaryTotal: values.canaryTotal!, baselineErrors: values.baselineErrors!, baselineTotal: values.baselineTotal! } };
}

/** `url` is Prometheus' base URL (path prefixes allowed) or already its `/api/v1/query` endpoint. */
export function prometheusQueryUrl(base: string, query: string): string {
  const url = new URL(base);
  if (!url.pathname.endsWith("/api/v1/query")) url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/v1/query`;
  url.searchParams.set("query", query);
  return url.toString();
}

async function getJson(doFetch: typeof fetch, url: string, timeoutMs: number, errorBodiesAreJson: boolean): Promise<{ json: unknown } | { missing: SampleReading }> {
  let response: Response;
  try {
    const { target, headers } = withBasicAuth(url);
    response = await doFetch(target, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { missing: missingReading("request-failed", redactSecrets(`GET ${redact(url)} failed: ${cause ?? (error as Error).message}`)) };
  }
  const text = await response.text().catch(() => "");
  // Prometheus answers query errors with 400/422/503 and a JSON body saying why; keep that reason.
  if (!response.ok && !errorBodiesAreJson) return { missing: missingReading("request-failed", `GET ${redact(url)} answered HTTP ${response.status}`) };
  try {
    return { json: JSON.parse(text) };
  } catch {
    return { missing: missingReading(response.ok ? "malformed-response" : "request-failed", `GET ${redact(url)} answered HTTP ${response.status} with a body that is not JSON`) };
  }
}

/**
 * fetch refuses URLs with credentials in them (and would echo the URL in its error): `user:pass@`
 * becomes HTTP Basic authentication, as curl and Prometheus' own clients treat it.
 */
function withBasicAuth(raw: string): { target: string; headers: Record<string, string> } {
  const url = new URL(raw);
  const headers: Record<string, string> = { accept: "application/json" };
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  return { target: url.toString(), headers };
}

/** URLs may carry credentials (user:pass@host, ?token=); logs and summaries get the host and path only. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    return redactSecrets(`${u.protocol}//${u.host}${u.pathname}`);
  } catch {
    return "(invalid URL)";
  }
}
