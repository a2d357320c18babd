// Backs nock with the fake GitHub's route tables: in-process integration tests (probot.receive) get
// the same stateful GitHub stand-in as the end-to-end tests, and every request still goes through nock
// (no network) and is recorded for the REST conformance check.
import nock from "nock";
import { dispatchRoute, installationTokenRoute, type RecordedRequest, type Route } from "./fake-github.js";

export interface NockFake {
  requests: RecordedRequest[];
  /** Requests that change something on GitHub (token minting excluded). */
  writes(): RecordedRequest[];
  scope: nock.Scope;
}

export function nockFakeGitHub(routes: Route[], origin = "https://api.github.com"): NockFake {
  const requests: RecordedRequest[] = [];
  const table = [installationTokenRoute(), ...routes];
  const scope = nock(origin);
  for (const method of ["get", "post", "patch", "put", "delete"] as const) {
    scope
      .persist()
      [method](/.*/)
      .optionally()
      .reply(async function (uri, body) {
        const url = new URL(uri, origin);
        const headers = this.req.headers as Record<string, string>;
        const parsed = typeof body === "string" && body !== "" ? safeJson(body) : body === "" ? undefined : body;
        const recorded: RecordedRequest = { method: method.toUpperCase(), path: url.pathname, query: url.searchParams, headers, body: parsed, at: Date.now() };
        requests.push(recorded);
        const response = await dispatchRoute(table, recorded);
        return [response.status, response.body === undefined ? "" : (response.body as nock.Body), response.headers ?? {}];
      });
  }
  return {
    requests,
    writes: () => requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens")),
    scope,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
