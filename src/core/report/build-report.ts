// The release report from gathered facts: stories, metrics and the rendered site, in one call.
import { releaseMetrics, type ReleaseMetrics } from "./metrics.js";
import { releaseStories } from "./release-stories.js";
import { renderSite, type Site } from "./render-site.js";
import type { ReleaseStory, ReportFacts } from "./types.js";

export interface Report {
  stories: ReleaseStory[];
  metrics: ReleaseMetrics;
  site: Site;
}

export function buildReport(facts: ReportFacts): Report {
  const stories = releaseStories(facts);
  const metrics = releaseMetrics(stories, { now: facts.now, rollbackSloMs: facts.rollbackSloMs });
  const site = renderSite(stories, metrics, { owner: facts.owner, repo: facts.repo, environment: facts.environment, repoUrl: facts.repoUrl, now: facts.now });
  return { stories, metrics, site };
}
