// The load generator for bench/load-readiness.ts, run as its own process so the app under test and
// the sender do not share an event loop: sends signed `pull_request` webhooks open-loop at a fixed
// rate (never waiting for answers), then prints one JSON line per delivery: head SHA, when it was
// sent (epoch ms), the HTTP status and how long the answer took.
// Input (argv[2], JSON): { port, rate, seconds, installations, step }.
import { randomUUID } from "node:crypto";
import { sign } from "../test/support/start-app.js";
import { webhookExample } from "../test/support/webhook-examples.js";
import { loadSha } from "./load-shared.js";

interface Plan {
  port: number;
  rate: number;
  seconds: number;
  installations: number;
  step: number;
}

const plan = JSON.parse(process.argv[2] ?? "{}") as Plan;
const total = Math.round(plan.rate * plan.seconds);
const template = webhookExample("pull_request", "opened");
const started = performance.now();
const results: Promise<string>[] = [];

for (let k = 0; k < total; k++) {
  const due = started + (k * 1000) / plan.rate;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const installation = (k % plan.installations) + 1;
  const payload = structuredClone(template);
  payload.installation = { id: installation, node_id: "I" };
  payload.repository.owner.login = `org-${installation}`;
  payload.repository.name = "service";
  payload.pull_request.number = k + 1;
  payload.pull_request.head.sha = loadSha(plan.step, k);
  const body = JSON.stringify(payload);
  const headers = {
    "content-type": "application/json",
    "x-github-event": "pull_request",
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": sign(body),
  };
  const sentAt = Date.now();
  const t0 = performance.now();
  results.push(
    fetch(`http://127.0.0.1:${plan.port}/api/github/webhooks`, { method: "POST", headers, body }).then(
      async (res) => {
        await res.arrayBuffer();
        return JSON.stringify({ sha: payload.pull_request.head.sha, sentAt, status: res.status, ackMs: performance.now() - t0 });
      },
      (error: Error) => JSON.stringify({ sha: payload.pull_request.head.sha, sentAt, status: 0, ackMs: performance.now() - t0, error: error.message }),
    ),
  );
}
for (const line of await Promise.all(results)) process.stdout.write(`${line}\n`);
