// Where a migration layout keeps downgrade logic, and whether this PR carries it:
// `<name>.up.sql` + `<name>.down.sql` (golang-migrate, sqlx), `up.sql` + `down.sql` in one folder
// (Diesel), Flyway's `V<n>__x.sql` + `U<n>__x.sql`, and one-file layouts with a down section
// (dbmate `-- migrate:down`, goose `-- +goose Down`). Other layouts have no down to look for.
import { splitStatements } from "./split-statements.js";

export type DownCheck =
  | { kind: "not-applicable" }
  | { kind: "is-down" }
  | { kind: "found"; where: string }
  | { kind: "missing"; expected: string };

const FLYWAY_UP = /^V([^_]+)__(.+\.sql)$/;

export function isDownMigration(path: string): boolean {
  const base = basename(path);
  return /\.down\.sql$/i.test(base) || base.toLowerCase() === "down.sql" || /^U[^_]+__.+\.sql$/.test(base);
}

/** `text` is the file at the PR head; `changed` are the PR's paths. */
export function checkDownMigration(path: string, text: string | undefined, changed: ReadonlySet<string>): DownCheck {
  if (isDownMigration(path)) return { kind: "is-down" };
  const dir = path.slice(0, path.length - basename(path).length);
  const base = basename(path);
  let expected: string | undefined;
  if (/\.up\.sql$/i.test(base)) expected = dir + base.replace(/\.up\.sql$/i, ".down.sql");
  else if (base.toLowerCase() === "up.sql") expected = `${dir}down.sql`;
  else {
    const flyway = FLYWAY_UP.exec(base);
    if (flyway) expected = `${dir}U${flyway[1]}__${flyway[2]}`;
  }
  if (expected !== undefined) return changed.has(expected) ? { kind: "found", where: expected } : { kind: "missing", expected };
  if (text !== undefined) {
    const marker = /^\s*--\s*(migrate:up|\+goose\s+up)\b/im.exec(text);
    if (marker) {
      const dbmate = (marker[1] as string).toLowerCase() === "migrate:up";
      const downMarker = dbmate ? "-- migrate:down" : "-- +goose Down";
      const hasDown = splitStatements(text).some((s) => s.section === "down" && !s.meta);
      return hasDown ? { kind: "found", where: `${downMarker} section` } : { kind: "missing", expected: `a \`${downMarker}\` section with statements` };
    }
  }
  return { kind: "not-applicable" };
}

function basename(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? path : path.slice(slash + 1);
}
