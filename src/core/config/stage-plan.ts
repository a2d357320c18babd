// The rules a stage plan must keep across stages, once each stage is valid on its own: cohorts that
// exist, each environment's stages together, cohort stages before percent stages, rising percents.
// Each problem names the stage and says what to change.
import { closestKey } from "./closest-key.js";

/** The parts of a stage the plan rules read (a parsed stage: its percent already defaulted). */
export interface PlanStage {
  name: string;
  cohort?: string | undefined;
  environment?: string | undefined;
  percent: number;
}

export interface PlanIssue {
  /** Path inside the stage list: [index, key]. */
  path: [number, string];
  message: string;
}

/** The environment a stage deploys to: its own, else the rollout's. */
export function stageEnvironment(stage: Pick<PlanStage, "environment">, fallback: string): string {
  return stage.environment ?? fallback;
}

/** What a stage serves, as people read it: `cohort beta` or `10%`, and where when it names a region. */
export function stageTraffic(stage: Pick<PlanStage, "cohort" | "percent" | "environment">): string {
  const what = stage.cohort !== undefined ? `cohort ${stage.cohort}` : `${stage.percent}%`;
  return stage.environment !== undefined ? `${what} in ${stage.environment}` : what;
}

export function checkStagePlan(stages: readonly PlanStage[], context: { environment: string; cohorts: readonly string[] }): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const environments = [...new Set(stages.map((s) => stageEnvironment(s, context.environment)))];
  const inEnvironment = (env: string) => (environments.length > 1 ? ` in \`${env}\`` : "");
  const cohortStage = new Map<string, string>();
  const finished = new Set<string>();
  const lastPercentStage = new Map<string, PlanStage>();
  stages.forEach((stage, index) => {
    const env = stageEnvironment(stage, context.environment);
    const previous = stages[index - 1];
    const previousEnv = previous ? stageEnvironment(previous, context.environment) : undefined;
    if (previousEnv !== undefined && previousEnv !== env) finished.add(previousEnv);
    if (finished.has(env)) {
      const from = stages.findIndex((s) => stageEnvironment(s, context.environment) === env);
      issues.push({
        path: [index, "environment"],
        message: `stage \`${stage.name}\` goes back to \`${env}\` after \`${previousEnv}\`; keep each environment's stages together, in rollout order (move it next to stage \`${stages[from]!.name}\`)`,
      });
    }
    if (stage.cohort !== undefined) {
      if (!context.cohorts.includes(stage.cohort)) {
        const near = closestKey(stage.cohort, context.cohorts);
        const known = context.cohorts.length > 0 ? `the cohorts are ${context.cohorts.map((c) => `\`${c}\``).join(", ")}` : "none is defined";
        issues.push({
          path: [index, "cohort"],
          message: `stage \`${stage.name}\` names cohort \`${stage.cohort}\`, which \`rollout.cohorts\` does not define; ${near ? `did you mean \`${near}\`?` : `${known}; define it there`}`,
        });
      }
      const first = cohortStage.get(stage.cohort);
      if (first !== undefined) {
        issues.push({ path: [index, "cohort"], message: `stage \`${stage.name}\` turns on cohort \`${stage.cohort}\` again; stage \`${first}\` already did (cohorts stay on for later stages)` });
      } else {
        cohortStage.set(stage.cohort, stage.name);
      }
      if (stage.percent !== 100) {
        issues.push({
          path: [index, "percent"],
          message: `stage \`${stage.name}\` serves cohort \`${stage.cohort}\` whole: drop \`percent\` (a cohort stage is 100% of its cohort), or define a narrower cohort, or follow it with a percent stage`,
        });
      }
      const before = lastPercentStage.get(env);
      if (before) {
        issues.push({
          path: [index, "cohort"],
          message: `cohort stage \`${stage.name}\` comes after percent stage \`${before.name}\`${inEnvironment(env)}; put cohort stages first (a percent is the share of everyone outside the cohorts turned on before it)`,
        });
      }
      return;
    }
    const before = lastPercentStage.get(env);
    if (before && stage.percent <= before.percent) {
      issues.push({
        path: [index, "percent"],
        message: `stage \`${stage.name}\` (${stage.percent}%) must have a higher percent than stage \`${before.name}\` before it${inEnvironment(env)} (${before.percent}%)`,
      });
    }
    lastPercentStage.set(env, stage);
  });
  return issues;
}
