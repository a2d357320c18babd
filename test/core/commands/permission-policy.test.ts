import { defaultConfig } from "../../../src/core/config/parse-config.js";
import { checkPermission, hasRole, requiredRole, roleFromPermission } from "../../../src/core/commands/permission-policy.js";
import { VERBS } from "../../../src/core/commands/types.js";

const commands = defaultConfig().commands;

describe("roleFromPermission", () => {
  it("reads the real role from role_name, not the legacy base role in permission", () => {
    expect(roleFromPermission({ permission: "write", role_name: "maintain" })).toBe("maintain");
    expect(roleFromPermission({ permission: "read", role_name: "triage" })).toBe("triage");
    expect(roleFromPermission({ permission: "admin", role_name: "admin" })).toBe("admin");
    expect(roleFromPermission({ permission: "write", role_name: "write" })).toBe("write");
  });

  it("falls back to the base role for custom roles and a missing role_name", () => {
    expect(roleFromPermission({ permission: "write", role_name: "release-captain" })).toBe("write");
    expect(roleFromPermission({ permission: "read", role_name: null })).toBe("read");
    expect(roleFromPermission({ permission: "read" })).toBe("read");
    expect(roleFromPermission({ permission: "push" })).toBe("write");
  });

  it("answers null for no access", () => {
    expect(roleFromPermission({ permission: "none", role_name: "none" })).toBeNull();
    expect(roleFromPermission(null)).toBeNull();
  });
});

describe("requiredRole", () => {
  it("needs read for status and help and write for every other verb by default", () => {
    const roles = Object.fromEntries(VERBS.map((verb) => [verb, requiredRole(verb, { commands })]));
    expect(roles).toEqual({
      advance: "write",
      rollback: "write",
      pause: "write",
      resume: "write",
      status: "read",
      help: "read",
      override: "write",
      "approve-override": "write",
    });
  });

  it("needs final-stage-permission (default maintain) to advance into the last stage", () => {
    expect(commands["final-stage-permission"]).toBe("maintain");
    expect(requiredRole("advance", { commands, finalStage: true })).toBe("maintain");
    expect(requiredRole("rollback", { commands, finalStage: true })).toBe("write");
  });

  it("takes the stricter of permission and final-stage-permission", () => {
    expect(requiredRole("advance", { commands: { permission: "admin", "final-stage-permission": "write" }, finalStage: true })).toBe("admin");
    expect(requiredRole("advance", { commands: { permission: "triage", "final-stage-permission": "write" }, finalStage: true })).toBe("write");
    expect(requiredRole("pause", { commands: { permission: "triage", "final-stage-permission": "write" } })).toBe("triage");
  });
});

describe("hasRole and checkPermission", () => {
  it("orders read < triage < write < maintain < admin", () => {
    expect(hasRole("maintain", "write")).toBe(true);
    expect(hasRole("write", "write")).toBe(true);
    expect(hasRole("triage", "write")).toBe(false);
    expect(hasRole("admin", "maintain")).toBe(true);
    expect(hasRole(null, "read")).toBe(false);
  });

  it("refuses a read-only user a write command and says why", () => {
    expect(checkPermission("advance", "read", { commands })).toEqual({
      allowed: false,
      role: "read",
      required: "write",
      message: "`/release advance` needs the write role or higher; the commenter has the read role.",
    });
    expect(checkPermission("status", "read", { commands })).toEqual({ allowed: true, role: "read", required: "read" });
  });

  it("refuses a writer the final stage and someone without access everything", () => {
    const final = checkPermission("advance", "write", { commands, finalStage: true });
    expect(final).toMatchObject({ allowed: false, required: "maintain" });
    expect(!final.allowed && final.message).toMatch(/advance to the final stage/);
    expect(checkPermission("help", null, { commands })).toMatchObject({ allowed: false, message: expect.stringMatching(/no access/) });
  });
});
