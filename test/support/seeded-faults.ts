// Seeded fault injection for the fake GitHub: a share of requests gets a 502, a 403 secondary rate
// limit with `retry-after`, no answer, a late answer, or (writes only) a lost response after the write
// was done. The seed is printed and FAULT_SEED=<n> replays it: the choice for a request depends only on
// the seed, its method and path and how many times that request came before, not on interleaving.
import type { Fault, FaultInjector, RecordedRequest } from "./fake-github.js";

export type FaultKind = "502" | "secondary-rate-limit" | "hang" | "slow" | "lose-response";

export interface FaultShares {
  /** Each share is a probability per request; their sum must stay below 1. */
  "502": number;
  "secondary-rate-limit": number;
  hang: number;
  slow: number;
  /** Applied to writes (POST/PATCH) only; reads get a slow answer instead. */
  "lose-response": number;
}

/** mulberry32: a small, well-known 32-bit PRNG, deterministic for a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a request's identity into a number. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function faultSeed(env: NodeJS.ProcessEnv = process.env): number {
  const fixed = Number(env.FAULT_SEED);
  return Number.isInteger(fixed) && fixed >= 0 ? fixed : Math.floor(Math.random() * 2 ** 31);
}

export interface SeededFaults {
  seed: number;
  inject: FaultInjector;
  /** Faults served so far, by kind, with the request line. */
  served: { kind: FaultKind; method: string; path: string }[];
  enabled: boolean;
  tally(): Record<FaultKind, number> & { requests: number };
}

export function seededFaults(seed: number, shares: FaultShares, options: { retryAfterSeconds?: number; slowMs?: [number, number] } = {}): SeededFaults {
  const seen = new Map<string, number>();
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const [slowMin, slowMax] = options.slowMs ?? [100, 600];
  let requests = 0;
  const faults: SeededFaults = {
    seed,
    served: [],
    enabled: true,
    inject(req: RecordedRequest): Fault {
      if (!faults.enabled) return undefined;
      requests++;
      const key = `${req.method} ${req.path}`;
      const nth = (seen.get(key) ?? 0) + 1;
      seen.set(key, nth);
      const random = mulberry32(seed ^ fnv1a(`${key}#${nth}`));
      const draw = random();
      const extra = random();
      let edge = 0;
      let kind: FaultKind | undefined;
      for (const k of ["502", "secondary-rate-limit", "hang", "slow", "lose-response"] as const) {
        edge += shares[k];
        if (draw < edge) {
          kind = k;
          break;
        }
      }
      if (kind === "lose-response" && req.method === "GET") kind = "slow";
      if (!kind) return undefined;
      faults.served.push({ kind, method: req.method, path: req.path });
      switch (kind) {
        case "502":
          return { status: 502, body: { message: "Server Error" } };
        case "secondary-rate-limit":
          return {
            status: 403,
            headers: { "retry-after": retryAfter },
            body: {
              message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
              documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            },
          };
        case "hang":
          return "hang";
        case "slow":
          return { delayMs: Math.round(slowMin + extra * (slowMax - slowMin)) };
        case "lose-response":
          return "lose-response";
      }
    },
    tally() {
      const counts = { requests, "502": 0, "secondary-rate-limit": 0, hang: 0, slow: 0, "lose-response": 0 };
      for (const f of faults.served) counts[f.kind]++;
      return counts;
    },
  };
  return faults;
}
