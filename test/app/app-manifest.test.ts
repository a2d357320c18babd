// app.yml asks for exactly the events the app handles (least privilege), and the permissions the
// handlers' endpoints need.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import app from "../../src/app/index.js";

const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};

function registeredEvents(): string[] {
  const names = new Set<string>();
  const probot = {
    on: (events: string | string[]) => {
      for (const e of [events].flat()) names.add(e.split(".")[0]!);
    },
    log: { child: () => ({ info() {}, warn() {} }) },
    auth: async () => ({}),
  };
  app(probot as never, { getRouter: undefined } as never);
  return [...names].sort();
}

it("subscribes to exactly the events the app registers handlers for", () => {
  expect([...manifest.default_events].sort()).toEqual(registeredEvents());
});

it("asks for the permissions the release commands use, and no admin-level ones", () => {
  expect(manifest.default_permissions).toMatchObject({
    // claim refs (POST git/refs) and config reads
    contents: "write",
    // status comment, reactions, labels, post-mortem and flag-removal issues
    issues: "write",
    // stage deployments, their statuses, and answering the protection rule
    deployments: "write",
    // GitHub's documented requirement for a custom deployment protection rule
    actions: "read",
    checks: "write",
    // GitHub's documented requirement for the merge_group event: read, the least level
    merge_queues: "read",
  });
  for (const level of Object.values(manifest.default_permissions)) expect(["read", "write"]).toContain(level);
  expect(manifest.default_permissions).not.toHaveProperty("administration");
});
