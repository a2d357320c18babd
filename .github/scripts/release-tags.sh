#!/usr/bin/env bash
# Tags a release of the app, the Action and the no-server step (one repository, one version):
# creates vX.Y.Z at HEAD and moves vX to it, so `uses: …@vX` gets the newest X.y.z and `@vX.Y.Z`
# stays where it was cut. The version is package.json's; CHANGELOG.md must have its section.
# Usage: release-tags.sh [--push REMOTE]   (without --push the tags are only made locally)
set -euo pipefail

remote=""
if [ "${1:-}" = "--push" ]; then remote="${2:?--push needs a remote}"; fi

fail() { echo "release: $*" >&2; exit 1; }

version=$(node -p 'require("./package.json").version')
[[ "$version" =~ ^([0-9]+)\.[0-9]+\.[0-9]+$ ]] || fail "package.json version '$version' is not X.Y.Z (a release takes a plain version; pre-releases are not tagged)"
major="v${BASH_REMATCH[1]}"
tag="v$version"

[ -z "$(git status --porcelain --untracked-files=no)" ] || fail "the working tree has uncommitted changes; release a commit"
grep -Eq "^## \[${version//./\\.}\]" CHANGELOG.md || fail "CHANGELOG.md has no '## [$version]' section; say what changed before releasing"
if git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then fail "$tag exists already; raise the version in package.json"; fi
if [ -n "$remote" ] && git ls-remote --exit-code --tags "$remote" "refs/tags/$tag" >/dev/null; then fail "$tag exists on $remote already; raise the version in package.json"; fi

# The newest release of the major line must be older than this one: vX never moves backwards.
newest=$(git tag --list "$major.*.*" | sort -V | tail -n 1)
if [ -n "$newest" ] && [ "$(printf '%s\n%s\n' "$newest" "$tag" | sort -V | tail -n 1)" != "$tag" ]; then
  fail "$tag is older than $newest; $major would move backwards"
fi

git tag -a "$tag" -m "Release $tag"
git tag -f -a "$major" -m "Release $tag" >/dev/null
echo "tagged $tag and moved $major to $(git rev-parse --short HEAD)"
if [ -n "$remote" ]; then
  git push "$remote" "refs/tags/$tag"
  git push --force "$remote" "refs/tags/$major"
fi
