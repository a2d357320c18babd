import { commandEnv } from "../../src/action/command-env.js";

describe("commandEnv", () => {
  // The runner's ordinary variables: what a command gets through.
  const ordinary = {
    PATH: "/usr/bin",
    HOME: "/home/runner",
    LANG: "C.UTF-8",
    LC_ALL: "C",
    TZ: "UTC",
    TMPDIR: "/tmp",
    CI: "true",
    RUNNER_TEMP: "/tmp/r",
    RUNNER_OS: "Linux",
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_OUTPUT: "/tmp/out",
  };
  const runner = {
    ...ordinary,
    GITHUB_TOKEN: "ghs_x",
    GITHUB_APP_PRIVATE_KEY: "-----BEGIN",
    RUNNER_TOKEN: "r",
    ACTIONS_RUNTIME_TOKEN: "a",
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: "o",
    ACTIONS_CACHE_URL: "https://cache",
    INPUT_TOKEN: "ghs_input",
    INPUT_GATES: "- …",
    STATE_deployment_id: "5",
    AWS_SECRET_ACCESS_KEY: "aws",
    NODE_OPTIONS: "--require /tmp/evil.js",
    RELEASE_KUBE_TOKEN: "handed-over",
  };

  it("passes the runner's ordinary variables and RELEASE_*, nothing else", () => {
    expect(commandEnv(runner, { RELEASE_PERCENT: "5" })).toEqual({
      ...ordinary,
      RELEASE_KUBE_TOKEN: "handed-over",
      RELEASE_PERCENT: "5",
    });
  });

  it("lets the Action's own RELEASE_* values win over the workflow's", () => {
    expect(commandEnv({ RELEASE_PERCENT: "100" }, { RELEASE_PERCENT: "0" })).toEqual({ RELEASE_PERCENT: "0" });
  });
});
