import { closestKey, defaultConfig, editDistance, formatProblem, mergeConfigLayers, parseConfigText, validateConfig } from "../../../src/core/config/parse-config.js";

const file = (text: string) => ({ file: ".github/release-gate.yml", text });

describe("config", () => {
  it("has documented defaults", () => {
    const config = defaultConfig();
    expect(config.rollout.environment).toBe("production");
    expect(config.rollout.stages.map((s) => [s.name, s.percent, s.observe])).toEqual([
      ["canary", 1, "30m"],
      ["10-percent", 10, "2h"],
      ["50-percent", 50, "4h"],
      ["full", 100, "24h"],
    ]);
    expect(config.migrations.paths).toContain("**/migrations/**");
    expect(config.communication.labels).toEqual(["user-facing"]);
    expect(config.commands.permission).toBe("write");
  });

  it("accepts an empty file as all defaults", () => {
    const result = parseConfigText(file(""));
    expect(result.ok && result.config).toEqual(defaultConfig());
  });

  it("locates a wrong type at its line and column", () => {
    const result = parseConfigText(file("rollout:\n  environment: prod\n  stages:\n    - name: canary\n      percent: lots\n      observe: 30m\n"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ line: 5, column: 16, key: "rollout.stages[0].percent" });
    expect(formatProblem(result.problems[0]!)).toMatch(/^\.github\/release-gate\.yml:5:16: `rollout\.stages\[0\]\.percent`: .*number/);
  });

  it("refuses a fractional percent where the flag is Unleash's, which serves whole percents, at the stage's line", () => {
    const text = (percent: string) =>
      `rollout:\n  flag: { provider: unleash, url: "https://unleash.example.com", key: k, environment: production, token: $UNLEASH_TOKEN }\n  stages:\n    - { name: canary, percent: ${percent}, observe: 30m }\n    - { name: full, percent: 100, observe: 1h }\n`;
    const result = parseConfigText(file(text("0.5")));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toEqual([
      ".github/release-gate.yml:4:32: `rollout.stages[0].percent`: stage `canary` asks for 0.5%, but the Unleash flag (rollout.flag) serves whole percents only; use 1",
    ]);
    expect(parseConfigText(file(text("1"))).ok).toBe(true);
    expect(parseConfigText(file(text("0.5").replace(/flag: .*\n/, "flag: { provider: flagd, path: flags.json, key: k }\n"))).ok).toBe(true);
  });

  it("names unknown keys where they stand", () => {
    const result = parseConfigText(file("communication:\n  lables: [x]\n"));
    expect(!result.ok && result.problems[0]).toMatchObject({ line: 2, column: 3, message: "unknown key `lables`; did you mean `labels`?" });
  });


  it("suggests the nearest allowed key at that level, one problem per unknown key", () => {
    const result = parseConfigText(file("rolout:\n  environment: x\ncommunication:\n  lables: [x]\n  zzz: 1\n"));
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      ".github/release-gate.yml:1:1: unknown key `rolout`; did you mean `rollout`?",
      ".github/release-gate.yml:4:3: `communication`: unknown key `lables`; did you mean `labels`?",
      ".github/release-gate.yml:5:3: `communication`: unknown key `zzz`",
    ]);
    const inGate = parseConfigText(file("rollout:\n  gates:\n    - name: e\n      command: x\n      max: 1\n      failure-limt: 2\n"));
    expect(!inGate.ok && inGate.problems.map(formatProblem)).toEqual([
      ".github/release-gate.yml:6:7: `rollout.gates[0]`: unknown key `failure-limt`; did you mean `failure-limit`?",
    ]);
  });

  it("names YAML 1.1 booleans written where YAML 1.2 reads a string", () => {
    const result = parseConfigText(file("rollback:\n  required: yes\nmigrations:\n  analyse: off\n"));
    expect(!result.ok && result.problems.map(formatProblem)).toEqual([
      ".github/release-gate.yml:2:13: `rollback.required`: `yes` is a string in YAML 1.2; write `true`",
      ".github/release-gate.yml:4:12: `migrations.analyse`: `off` is a string in YAML 1.2; write `false`",
    ]);
  });

  it("takes one glob string where a list of globs is expected", () => {
    const result = parseConfigText(file("migrations:\n  paths: db/**\ncommunication:\n  paths: docs/**\nhigh-risk:\n  - name: payments\n    paths: pay/**\n"));
    expect(result.ok && [result.config.migrations.paths, result.config.communication.paths, result.config["high-risk"][0]!.paths]).toEqual([
      ["db/**"],
      ["docs/**"],
      ["pay/**"],
    ]);
    const wrong = parseConfigText(file("migrations:\n  paths: 3\n"));
    expect(!wrong.ok && wrong.problems.map(formatProblem)).toEqual([
      ".github/release-gate.yml:2:10: `migrations.paths`: expected a glob pattern or a list of glob patterns",
    ]);
  });

  it("tells a gate exactly what its provider lacks", () => {
    const gate = (lines: string) => parseConfigText(file(`rollout:\n  gates:\n    - name: e\n${lines}`));
    const messages = (lines: string) => {
      const result = gate(lines);
      return !result.ok && result.problems.map(formatProblem);
    };
    expect(messages("      prometheus: { url: 'http://prom:9090' }\n      max: 1\n")).toEqual([
      ".github/release-gate.yml:4:19: `rollout.gates[0].prometheus.query`: required key `query` is missing: the PromQL query whose result is compared with the bounds",
    ]);
    expect(messages("      http:\n        url: 'http://svc/metrics'\n      max: 1\n")).toEqual([
      ".github/release-gate.yml:5:9: `rollout.gates[0].http.path`: required key `path` is missing: the dotted path to the number in the JSON response",
    ]);
    expect(messages("      max: 1\n")).toEqual([
      ".github/release-gate.yml:3:7: `rollout.gates[0]`: a gate needs a provider: one of `prometheus`, `http`, `command` or `compare`",
    ]);
    expect(messages("      command: x\n      http: { url: 'http://svc', path: a.b }\n      max: 1\n")).toEqual([
      ".github/release-gate.yml:3:7: `rollout.gates[0]`: a gate takes one provider, not `http` and `command`",
    ]);
    expect(messages("      command: x\n")).toEqual([".github/release-gate.yml:3:7: `rollout.gates[0]`: expected at least one bound: max, min or max-ratio-to-baseline"]);
  });

  it("rejects a repeated stage name and a percent that does not rise, naming both stages", () => {
    const stages = (lines: string) => parseConfigText(file(`rollout:\n  stages:\n${lines}`));
    const repeated = stages("    - { name: canary, percent: 1, observe: 30m }\n    - { name: wide, percent: 50, observe: 1h }\n    - { name: canary, percent: 100, observe: 2h }\n");
    expect(!repeated.ok && repeated.problems.map(formatProblem)).toEqual([
      ".github/release-gate.yml:5:15: `rollout.stages[2].name`: stage 3 is named `canary` like stage 1; each stage needs its own name",
    ]);
    const flat = stages("    - { name: canary, percent: 10, observe: 30m }\n    - { name: ten, percent: 10, observe: 1h }\n");
    expect(!flat.ok && flat.problems.map(formatProblem)).toEqual([
      ".github/release-gate.yml:4:29: `rollout.stages[1].percent`: stage `ten` (10%) must have a higher percent than stage `canary` before it (10%)",
    ]);
    const highRisk = parseConfigText(
      file("high-risk:\n  - name: payments\n    paths: [pay/**]\n    stages:\n      - { name: a, percent: 50, observe: 1h }\n      - { name: b, percent: 5, observe: 1h }\n"),
    );
    expect(!highRisk.ok && highRisk.problems.map(formatProblem)).toEqual([
      ".github/release-gate.yml:6:29: `high-risk[0].stages[1].percent`: stage `b` (5%) must have a higher percent than stage `a` before it (50%)",
    ]);
  });

  it("reports invalid durations and regexes with what was expected", () => {
    const result = parseConfigText(file('rollout:\n  stages:\n    - { name: a, percent: 1, observe: soon }\ncommunication:\n  title-patterns: ["(unclosed"]\n'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.problems.map(formatProblem);
    expect(messages).toEqual([
      expect.stringMatching(/:3:\d+: `rollout\.stages\[0\]\.observe`: expected a duration/),
      expect.stringMatching(/:5:\d+: `communication\.title-patterns\[0\]`: expected a valid regular expression/),
    ]);
  });

  it("measures edit distance and suggests only near keys", () => {
    expect([editDistance("kitten", "sitting"), editDistance("", "abc"), editDistance("same", "same")]).toEqual([3, 3, 0]);
    expect(closestKey("stage", ["stages", "gates"])).toBe("stages");
    expect(closestKey("xyz", ["max", "min"])).toBeUndefined();
  });

  it("reports YAML syntax errors with a position", () => {
    const result = parseConfigText(file("rollout:\n  environment: [unclosed\n"));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]?.message).toMatch(/^invalid YAML/);
    expect(!result.ok && result.problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("rejects a gate without a provider or bound", () => {
    const result = parseConfigText(file("rollout:\n  gates:\n    - name: error-rate\n      max: 0.01\n"));
    expect(!result.ok && result.problems[0]).toMatchObject({ line: 3, key: "rollout.gates[0]" });
    const ok = parseConfigText(file("rollout:\n  gates:\n    - name: error-rate\n      prometheus: { url: 'http://prom:9090', query: 'sum(x)' }\n      max: 0.01\n"));
    expect(ok.ok).toBe(true);
  });

  it("accepts a compare gate (canary vs baseline) in rollout.gates, and rejects a malformed one", () => {
    const gate = (extra: string) =>
      file(
        "rollout:\n  gates:\n    - name: errors-vs-stable\n      compare:\n        prometheus: { url: 'http://prom:9090' }\n" +
          "        canary: { errors: 'sum(e{track=\"canary\"})', total: 'sum(t{track=\"canary\"})' }\n" +
          "        baseline: { errors: 'sum(e{track=\"stable\"})', total: 'sum(t{track=\"stable\"})' }\n" +
          extra,
      );
    const ok = parseConfigText(gate("      max-increase: 50%\n      shadow: true\n"));
    expect(ok.ok && ok.config.rollout.gates).toEqual([expect.objectContaining({ name: "errors-vs-stable", "max-increase": 0.5, confidence: 0.95, shadow: true })]);
    const missing = parseConfigText(gate(""));
    expect(missing.ok).toBe(false);
    // Judged as the compare gate it names, so the message says which key it lacks (not a union of every gate shape).
    expect(!missing.ok && missing.problems.map(formatProblem)).toEqual([".github/release-gate.yml:3:7: `rollout.gates[0].max-increase`: required key `max-increase` is missing"]);
  });

  it("merges _extends layers with the repo's values winning and arrays replaced", () => {
    const merged = mergeConfigLayers([
      { rollout: { environment: "prod", stages: [{ name: "a", percent: 1, observe: "1m" }, { name: "b", percent: 100, observe: "1m" }] } },
      { rollout: { stages: [{ name: "only", percent: 100, observe: "5m" }] } },
    ]);
    const result = validateConfig(merged, []);
    expect(result.ok && result.config.rollout).toMatchObject({ environment: "prod", stages: [{ name: "only" }] });
  });

  it("locates problems of merged config in the first file that defines the key", () => {
    const result = validateConfig({ rollout: { environment: 5 } }, [
      { file: ".github/release-gate.yml", text: "headings: {}\n" },
      { file: "acme/.github:.github/release-gate.yml", text: "rollout:\n  environment: 5\n" },
    ]);
    expect(!result.ok && result.problems[0]).toMatchObject({ file: "acme/.github:.github/release-gate.yml", line: 2 });
  });
});

describe("hostile YAML", () => {
  it("reports an alias to an unknown anchor instead of throwing", () => {
    const result = parseConfigText(file("rollout: *nowhere\n"));
    expect(!result.ok && result.problems[0]?.message).toMatch(/^invalid YAML: .*alias/i);
  });

  it("refuses an alias bomb", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]"].join("\n");
    const result = parseConfigText(file(bomb));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]?.message).toMatch(/^invalid YAML/);
  });
});

describe("config for commands and rollout control", () => {
  it("has documented defaults for the command keys", () => {
    const config = defaultConfig();
    expect(config.commands["final-stage-permission"]).toBe("maintain");
    expect(config.rollout["allow-pre-merge"]).toBe(false);
    expect(config.rollout["pause-label"]).toBe("release:paused");
    expect(config.rollout.blackout).toEqual([]);
    expect(config.overrides.labels).toEqual(["post-mortem"]);
    expect(config.headings.flag).toEqual(["Release flag", "Feature flag", "Flag"]);
  });

  it("reads blackout windows with a time zone", () => {
    const result = parseConfigText(
      file("rollout:\n  blackout:\n    - name: weekend\n      time-zone: Europe/Berlin\n      days: [fri]\n      start: '18:00'\n      end: '08:00'\n"),
    );
    expect(result.ok && result.config.rollout.blackout).toEqual([
      { name: "weekend", "time-zone": "Europe/Berlin", days: ["fri"], start: "18:00", end: "08:00" },
    ]);
  });

  it.each([
    ["an unknown time zone", "    - { name: a, time-zone: Mars/Olympus, days: [mon] }", /IANA time zone/],
    ["a start without an end", "    - { name: a, start: '09:00' }", /start and end go together/],
    ["a bad clock time", "    - { name: a, start: '25:00', end: '26:00' }", /HH:MM/],
    ["an empty window", "    - { name: a }", /at least one of/],
    ["reversed dates", "    - { name: a, from: 2026-12-31, to: 2026-12-01 }", /from must not be after to/],
    ["a misspelled day", "    - { name: a, days: [monday] }", /.+/],
  ])("rejects %s", (_name, line, message) => {
    const result = parseConfigText(file(`rollout:\n  blackout:\n${line}\n`));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.message).join("\n")).toMatch(message);
  });
});

describe("migration analysis context", () => {
  it("defaults to a current PostgreSQL major and per-framework transactions", () => {
    expect(defaultConfig().migrations["postgres-version"]).toBe(18);
    expect(defaultConfig().migrations.transaction).toBe("auto");
  });

  it("accepts a version and a transaction mode, and rejects others with the key's location", () => {
    const result = parseConfigText(file("migrations:\n  postgres-version: 12\n  transaction: always\n"));
    expect(result.ok && [result.config.migrations["postgres-version"], result.config.migrations.transaction]).toEqual([12, "always"]);
    const wrong = parseConfigText(file("migrations:\n  postgres-version: 12.5\n  transaction: sometimes\n"));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.problems.map((p) => [p.key, p.line])).toEqual([
      ["migrations.postgres-version", 2],
      ["migrations.transaction", 3],
    ]);
  });
});
