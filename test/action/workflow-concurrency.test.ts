// Issue 12, item 7: commands are never dropped. GitHub keeps one running and ONE pending run per
// concurrency group; a newer run entering the group cancels the pending one, even with
// cancel-in-progress false. This reads the no-server example's group expression, evaluates it for
// the events that start the workflow, and plays random arrivals against GitHub's queueing rule:
// no run started by a `/release` comment may ever be cancelled.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { interpolate } from "../support/github-expression.js";

const FILE = ".github/workflows/release-readiness-no-server.yml";
const workflow = parse(readFileSync(FILE, "utf8")) as { concurrency: { group: string; "cancel-in-progress": boolean } };
/** The group before issue 12: one group per PR, shared by pushes and comments. */
const OLD_GROUP = "release-gate-${{ github.event.pull_request.number || github.event.issue.number || github.event.merge_group.head_sha }}";

interface Run {
  id: number;
  kind: string;
  command: boolean;
  github: Record<string, unknown>;
}

let nextId = 1;
const PR = 5;
const events: Record<string, () => Omit<Run, "id">> = {
  rollback: () => ({ kind: "rollback", command: true, github: { event_name: "issue_comment", event: { issue: { number: PR, pull_request: { url: "x" } }, comment: { id: 9000 + nextId, body: "/release rollback" } } } }),
  advance: () => ({ kind: "advance", command: true, github: { event_name: "issue_comment", event: { issue: { number: PR, pull_request: { url: "x" } }, comment: { id: 9000 + nextId, body: "/release advance" } } } }),
  chatter: () => ({ kind: "chatter", command: false, github: { event_name: "issue_comment", event: { issue: { number: PR, pull_request: { url: "x" } }, comment: { id: 9000 + nextId, body: "lgtm" } } } }),
  push: () => ({ kind: "push", command: false, github: { event_name: "pull_request_target", event: { action: "synchronize", pull_request: { number: PR } } } }),
  review: () => ({ kind: "review", command: false, github: { event_name: "pull_request_review", event: { review: { state: "approved" }, pull_request: { number: PR } } } }),
  queue: () => ({ kind: "queue", command: false, github: { event_name: "merge_group", event: { merge_group: { head_sha: "f".repeat(40) } } } }),
};

/** GitHub's rule per group: one running, one pending; a newcomer cancels the pending run. */
function play(group: string, steps: Array<{ arrive: keyof typeof events } | { finish: true }>): { cancelled: Run[]; groups: Map<number, string> } {
  const slots = new Map<string, { running?: Run; pending?: Run }>();
  const cancelled: Run[] = [];
  const groups = new Map<number, string>();
  for (const step of steps) {
    if ("finish" in step) {
      // The oldest running run of any group finishes; its pending run starts.
      for (const slot of slots.values()) {
        if (slot.running) {
          slot.running = slot.pending;
          slot.pending = undefined;
          break;
        }
      }
      continue;
    }
    const run: Run = { id: nextId, ...events[step.arrive]!() };
    nextId++;
    const g = interpolate(group, { github: run.github });
    groups.set(run.id, g);
    const slot = slots.get(g) ?? {};
    slots.set(g, slot);
    if (!slot.running) slot.running = run;
    else {
      if (slot.pending) cancelled.push(slot.pending);
      slot.pending = run;
    }
  }
  return { cancelled, groups };
}

function randomSteps(seed: number, length: number): Array<{ arrive: keyof typeof events } | { finish: true }> {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const kinds = Object.keys(events) as Array<keyof typeof events>;
  return Array.from({ length }, () => (random() < 0.3 ? { finish: true as const } : { arrive: kinds[Math.floor(random() * kinds.length)]! }));
}

describe(`${FILE}: concurrency`, () => {
  it("never cancels a run started by a /release command, whatever arrives while it waits", () => {
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
    let commands = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const steps = randomSteps(seed, 40);
      commands += steps.filter((s) => "arrive" in s && events[s.arrive]!().command).length;
      const { cancelled } = play(workflow.concurrency.group, steps);
      expect(cancelled.filter((r) => r.command).map((r) => `seed ${seed}: ${r.kind} run ${r.id} cancelled`)).toEqual([]);
    }
    expect(commands).toBeGreaterThan(1000);
  });

  it("the scenario of the issue: a queued /release rollback survives the next push and comment", () => {
    const { cancelled } = play(workflow.concurrency.group, [{ arrive: "push" }, { arrive: "rollback" }, { arrive: "push" }, { arrive: "chatter" }]);
    expect(cancelled.filter((r) => r.command)).toEqual([]);
  });

  // The other side: the same play catches the old group, so the property above can fail.
  it("would have caught the old group, which let a push cancel a queued rollback", () => {
    const { cancelled } = play(OLD_GROUP, [{ arrive: "push" }, { arrive: "rollback" }, { arrive: "push" }]);
    expect(cancelled.map((r) => r.kind)).toEqual(["rollback"]);
  });

  it("still queues the readiness runs of one PR in one group, apart from other PRs and the merge queue", () => {
    const { groups } = play(workflow.concurrency.group, [{ arrive: "push" }, { arrive: "review" }, { arrive: "queue" }, { arrive: "rollback" }, { arrive: "rollback" }]);
    const [push, review, queue, first, second] = [...groups.values()];
    expect(push).toBe(`release-gate-${PR}`);
    expect(review).toBe(push);
    expect(queue).toBe(`release-gate-${"f".repeat(40)}`);
    expect(first).toMatch(/^release-gate-comment-\d+$/);
    expect(second).not.toBe(first);
  });
});
