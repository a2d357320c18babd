// The Octokit class `npm start` runs Probot with: Probot's own (its retry and throttling plugins, its
// REDIS_URL clustering) plus the two things Probot 14 leaves out for a server that must not hang:
// a per-attempt request timeout, so a GitHub request that never answers becomes an error the retry
// plugin retries instead of a handler stuck for minutes; and retrying secondary rate limits after
// GitHub's `retry-after` (Probot's handler only logs them and gives up, which fails the verdict).
import { ProbotOctokit } from "probot";
import { capConfigReads, type RequestHooks } from "../github/config-size-cap.js";

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** A secondary limit asking for a longer wait than this fails the request instead of parking the handler. */
export const MAX_SECONDARY_RETRY_AFTER_S = 60;
const MAX_SECONDARY_RETRIES = 2;

const TIMED = Symbol("release-gate timed fetch");
type Fetch = typeof globalThis.fetch;

interface WarnLog {
  warn(message: string): void;
}

/**
 * `fetch` that gives up on one attempt after `timeoutMs` with an error naming the request, and logs
 * every attempt that failed on GitHub's side (5xx, 429, no answer), which the retry plugin does not.
 */
export function timedFetch(timeoutMs: number, base: Fetch = globalThis.fetch, log?: WarnLog): Fetch {
  if ((base as Fetch & { [TIMED]?: boolean })[TIMED]) return base;
  const timed = async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const what = `${init?.method ?? "GET"} ${new URL(String(input)).pathname}`;
    try {
      const response = await base(input, { ...init, signal });
      if (response.status >= 500 || response.status === 429) log?.warn(`GitHub answered ${response.status} to ${what}`);
      return response;
    } catch (error) {
      if (timeout.aborted) {
        log?.warn(`GitHub did not answer ${what} within ${timeoutMs} ms`);
        // Becomes a RequestError with status 500, which the retry plugin retries.
        throw new Error(`GitHub did not answer ${init?.method ?? "GET"} ${String(input)} within ${timeoutMs} ms`, { cause: error });
      }
      if (!init?.signal?.aborted) log?.warn(`GitHub request failed without an answer: ${what} (${(error as Error).cause ?? (error as Error).message})`);
      throw error;
    }
  };
  return Object.assign(timed, { [TIMED]: true }) as Fetch;
}

export function requestTimeoutMs(env: NodeJS.ProcessEnv): number {
  const value = Number(env.GITHUB_REQUEST_TIMEOUT_MS ?? DEFAULT_REQUEST_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_REQUEST_TIMEOUT_MS;
}

interface ThrottledRequest {
  method: string;
  url: string;
}
interface Logged {
  log: { warn(message: string): void };
}

export function onSecondaryRateLimit(retryAfter: number, options: ThrottledRequest, octokit: Logged, retryCount: number): boolean {
  const retry = retryCount < MAX_SECONDARY_RETRIES && retryAfter <= MAX_SECONDARY_RETRY_AFTER_S;
  octokit.log.warn(
    `Secondary rate limit on "${options.method} ${options.url}" (attempt ${retryCount + 1}): ` +
      (retry ? `retrying in ${retryAfter} s` : `giving up (retry-after ${retryAfter} s)`),
  );
  return retry;
}

type Options = Record<string, any>;

export function releaseGateOctokit(env: NodeJS.ProcessEnv = process.env): typeof ProbotOctokit {
  const timeoutMs = requestTimeoutMs(env);
  // Probot builds every client (app, installation) through this function, so the options it merged
  // (throttle id, Redis connection, auth) arrive here and pass through unchanged.
  // Configuration files (the default branch's, an org's `.github`, every `_extends` base) are refused
  // over LIMITS.config before the config plugin parses them, as the file at a PR head is.
  const capped = ProbotOctokit.plugin((octokit) => capConfigReads(octokit as unknown as RequestHooks, true)) as unknown as typeof ProbotOctokit;
  return capped.defaults((options: Options = {}) => {
    const fetch = timedFetch(timeoutMs, options.request?.fetch, options.log as WarnLog | undefined);
    const auth = options.auth as Options | undefined;
    return {
      ...options,
      request: { ...options.request, fetch },
      // Installation tokens are minted through Probot's plain `request`, outside the plugins.
      ...(auth?.request?.defaults ? { auth: { ...auth, request: auth.request.defaults({ request: { fetch } }) } } : {}),
      throttle: { ...options.throttle, onSecondaryRateLimit },
    };
  });
}
