// The example workflows are documentation people copy: every input they pass and every output they
// read must exist in action/action.yml, and their gates must parse.
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { parseGates } from "../../src/core/gates/parse-gates.js";

const action = parse(readFileSync("action/action.yml", "utf8")) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
const EXAMPLES = [".github/workflows/release-gate-stages.yml", ".github/workflows/release-gate-on-deployment.yml", ".github/workflows/release-gate-resume.yml"];

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

describe.each(EXAMPLES)("%s", (file) => {
  const text = readFileSync(file, "utf8");
  const workflow = parse(text) as { env?: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
  const uses = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.uses?.startsWith("release-gate/release-gate/action@")));

  it("uses the Action with inputs it declares", () => {
    expect(uses.length).toBeGreaterThan(0);
    for (const step of uses) for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
  });

  it("reads only outputs it declares", () => {
    const read = [...text.matchAll(/steps\.[\w-]+\.outputs\.([\w-]+)/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(0);
    for (const name of read) expect(Object.keys(action.outputs)).toContain(name);
  });

  it("passes gates that parse", () => {
    for (const step of uses) {
      const gates = String(step.with?.gates ?? "").replace("${{ env.GATES }}", workflow.env?.GATES ?? "");
      const result = parseGates(gates);
      expect(result).toMatchObject({ ok: true });
      expect(result.ok && result.gates.length).toBeGreaterThan(0);
    }
  });
});

// A `${{ }}` expression inside a script is pasted into it before the shell runs, so a deployment
// payload, a PR title or a step output derived from them can inject commands. Values reach scripts
// through `env:` instead (GitHub's script-injection guidance). The Action's own shell inputs
// (`shift`, `rollback`) are scripts too.
describe("scripts in every workflow", () => {
  const files = readdirSync(".github/workflows").filter((f) => /\.ya?ml$/.test(f)).map((f) => `.github/workflows/${f}`);
  const scripts = files.flatMap((file) => {
    const workflow = parse(readFileSync(file, "utf8")) as { jobs: Record<string, { steps?: (Step & { run?: string })[] }> };
    return Object.entries(workflow.jobs).flatMap(([job, { steps = [] }]) =>
      steps.flatMap((step, i) => [
        ...(step.run !== undefined ? [{ where: `${file} ${job} step ${i + 1} run`, script: step.run }] : []),
        ...(["shift", "rollback"] as const).flatMap((input) => (step.with?.[input] !== undefined ? [{ where: `${file} ${job} step ${i + 1} ${input}`, script: String(step.with[input]) }] : [])),
      ]),
    );
  });

  it("finds the scripts", () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(scripts.length).toBeGreaterThan(3);
  });

  it("never interpolates an expression into a script", () => {
    const interpolated = scripts.filter((s) => /\$\{\{/.test(s.script)).map((s) => `${s.where}: ${s.script.trim()}`);
    expect(interpolated).toEqual([]);
  });
});

describe(".github/workflows/release-report-pages.yml", () => {
  const workflow = parse(readFileSync(".github/workflows/release-report-pages.yml", "utf8")) as {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, { steps: Step[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  it("runs on a schedule, builds the report with the Action's mode: report and publishes that directory to Pages", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["schedule", "workflow_dispatch"]));
    const report = steps.find((s) => s.uses?.startsWith("release-gate/release-gate/action@"))!;
    expect(report.with?.mode).toBe("report");
    for (const name of Object.keys(report.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-pages-artifact@"))!;
    expect(upload.with?.path).toBe(report.with?.["report-dir"]);
    expect(steps.some((s) => s.uses?.startsWith("actions/deploy-pages@"))).toBe(true);
  });

  it("asks for read access to the records and write access to Pages only", () => {
    expect(workflow.permissions).toEqual({ contents: "read", deployments: "read", checks: "read", issues: "read", "pull-requests": "read", pages: "write", "id-token": "write" });
  });
});

// Issue 12: the examples must work on GitHub-hosted runners, whose jobs are cancelled at 6 h.
describe("hosted runners", () => {
  const JOB_LIMIT_MINUTES = 360;
  const minutes = (text: string) => {
    const m = /^(\d+)(s|m|h)$/.exec(text.trim());
    if (!m) throw new Error(`not a duration: ${text}`);
    return Number(m[1]) * ({ s: 1 / 60, m: 1, h: 60 } as Record<string, number>)[m[2]!]!;
  };

  it.each(EXAMPLES)("%s: every job with the Action ends well inside the job limit, whatever the window", (file) => {
    const workflow = parse(readFileSync(file, "utf8")) as { jobs: Record<string, { "timeout-minutes"?: number; steps: Step[] }> };
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const steps = job.steps.filter((s) => s.uses?.startsWith("release-gate/release-gate/action@"));
      if (steps.length === 0) continue;
      expect({ name, timeout: job["timeout-minutes"] }).toEqual({ name, timeout: expect.any(Number) });
      expect(job["timeout-minutes"]!).toBeLessThanOrEqual(JOB_LIMIT_MINUTES);
      for (const step of steps) {
        // A run watches at most min(active, watch) after the shift (or one soak check): both under the job's timeout.
        const watched = Math.min(minutes(String(step.with?.active ?? "15m")), minutes(String(step.with?.watch ?? "5h")));
        expect(watched).toBeLessThan(job["timeout-minutes"]!);
      }
    }
  });

  it("queues each stage of each commit in a group of its own (a queued stage is never cancelled)", () => {
    const workflow = parse(readFileSync(".github/workflows/release-gate-stages.yml", "utf8")) as { concurrency: { group: string; "cancel-in-progress": boolean } };
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
    expect(workflow.concurrency.group).toContain("inputs.stage");
    expect(workflow.concurrency.group).toContain("inputs.ref || github.sha");
  });
});
