// Glob matching of changed paths, shared by every rule that keys on files.
import picomatch from "picomatch";
import { code } from "../render/markdown.js";

const cache = new Map<string, picomatch.Matcher>();

export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const key = globs.join("\u0000");
  let matcher = cache.get(key);
  if (!matcher) {
    matcher = picomatch([...globs], { dot: true });
    if (cache.size > 100) cache.clear();
    cache.set(key, matcher);
  }
  const m = matcher;
  return (path) => globs.length > 0 && m(path);
}

export function matchingPaths(paths: readonly string[], globs: readonly string[]): string[] {
  const matches = pathMatcher(globs);
  return paths.filter(matches);
}

export function listPaths(paths: readonly string[], max = 3): string {
  const shown = paths.slice(0, max).map((p) => code(p)).join(", ");
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}
