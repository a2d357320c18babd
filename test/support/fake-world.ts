// One in-memory GitHub for every e2e test: repositories, PRs and check runs (FakeRepos), the rollout
// records (FakeRelease) and the one Deployments store they share with the Action.
import type { Route } from "./fake-github.js";
import type { FakeDeployments } from "./fake-deployment-routes.js";
import { FakeRelease } from "./fake-release-routes.js";
import { FakeRepos } from "./fake-readiness-routes.js";

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
