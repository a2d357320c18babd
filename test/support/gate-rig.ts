// The common ground of the Action's end-to-end tests against a real Prometheus: one in-memory GitHub
// on the real clock (the Action measures its windows against the records), an exporter whose error
// ratios the test controls, a real Prometheus scraping it that already answers for every service,
// and an earlier release deployed successfully, where a rollback returns.
import { startFakeGitHub, type FakeGitHub } from "./fake-github.js";
import type { FakeDeployments } from "./fake-deployment-routes.js";
import { fakeWorld, type FakeWorld } from "./fake-world.js";
import { errorRatioQuery, startExporter, startPrometheus, untilData, type Exporter, type RunningPrometheus } from "./prometheus.js";

export interface GateRig {
  world: FakeWorld;
  github: FakeGitHub;
  deployments: FakeDeployments;
  exporter: Exporter;
  prom: RunningPrometheus;
}

export async function startGateRig(prometheusBinary: string, options: { owner: string; repo: string; goodSha: string; ratios: Record<string, number> }): Promise<GateRig> {
  const world = fakeWorld({ clock: "real" });
  const github = await startFakeGitHub(world.routes());
  const exporter = await startExporter();
  for (const [service, ratio] of Object.entries(options.ratios)) exporter.ratios.set(service, ratio);
  const prom = await startPrometheus(prometheusBinary, `127.0.0.1:${exporter.port}`);
  // Every service has a rate over the query window: the first samples must not be "no data".
  await untilData(prom, Object.keys(options.ratios).map((service) => errorRatioQuery(service)));
  world.deployments.add({ owner: options.owner, repo: options.repo, sha: options.goodSha, environment: "production", payload: {}, statuses: ["in_progress", "success"], createdAt: "2026-11-22T10:00:00Z" });
  return { world, github, deployments: world.deployments, exporter, prom };
}

export async function stopGateRig(rig: Partial<GateRig>): Promise<void> {
  await rig.prom?.stop();
  await rig.exporter?.close();
  await rig.github?.close();
}
