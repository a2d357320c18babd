// One in-memory GitHub for every e2e test: repositories, PRs and check runs (FakeRepos), the rollout
// records (FakeRelease) and the one Deployments store they share with the Action.
import { startFakeGitHub, type FakeGitHub, type Route } from "./fake-github.js";
import type { FakeDeployments } from "./fake-deployment-routes.js";
import { FakeRelease } from "./fake-release-routes.js";
import { FakeRepos } from "./fake-readiness-routes.js";
import { startApp, type RunningApp } from "./start-app.js";

export interface FakeWorld {
  repos: FakeRepos;
  release: FakeRelease;
  deployments: FakeDeployments;
  routes(): Route[];
}

/** `clock: "real"` when a real process measures time against the records (the Action's windows). */
export function fakeWorld(options: { clock?: "synthetic" | "real" } = {}): FakeWorld {
  const repos = new FakeRepos();
  const release = new FakeRelease(repos, options);
  return { repos, release, deployments: release.store, routes: () => [...release.routes(), ...repos.routes()] };
}

export interface AppInWorld extends FakeWorld {
  github: FakeGitHub;
  app: RunningApp;
}

/**
 * A fake world served on loopback and the real app (`npm start`) pointed at it, for the e2e tests of
 * the app: `config` becomes `.github/release-gate.yml` of `owner/repo`; start-up reconciliation is off
 * (each test sends the events it needs). Stop both with `stopAppInWorld`.
 */
export async function startAppInWorld(options: { config?: { owner: string; repo: string; text: string } } = {}): Promise<AppInWorld> {
  const world = fakeWorld();
  if (options.config) world.repos.setFile(options.config.owner, options.config.repo, ".github/release-gate.yml", options.config.text);
  const github = await startFakeGitHub(world.routes());
  const app = await startApp({ githubPort: github.port, env: { RECONCILE_ON_START: "false" } });
  return { ...world, github, app };
}

export async function stopAppInWorld(running: Partial<Pick<AppInWorld, "app" | "github">>): Promise<void> {
  await running.app?.stop();
  await running.github?.close();
}
