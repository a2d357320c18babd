import { checkLimit, describeOverLimit, formatAmount, LIMITS } from "../../src/core/limits.js";

it("documents each cap with its unit", () => {
  expect(LIMITS).toMatchObject({
    config: { max: 65_536, unit: "bytes" },
    body: { max: 65_536, unit: "characters" },
    migrationFile: { max: 1_048_576, unit: "bytes" },
    migrationTotal: { max: 5_242_880, unit: "bytes" },
    changedFiles: { max: 3000, unit: "files" },
    annotations: { max: 50, unit: "annotations" },
  });
});

it("accepts a size at the cap and refuses one byte more", () => {
  expect(checkLimit("config", 65_536, "x")).toBeUndefined();
  expect(checkLimit("config", 65_537, "x")).toEqual({ input: "config", size: 65_537, what: "x" });
});

it("names the size and the cap in the message", () => {
  const over = checkLimit("config", 30 * 1024 * 1024 + 200 * 1024, "`.github/release-gate.yml` at the PR head")!;
  expect(describeOverLimit(over)).toBe("`.github/release-gate.yml` at the PR head is 30.2 MiB; the limit is 64 KiB");
  expect(describeOverLimit(checkLimit("body", 70_000, "The PR description")!)).toBe("The PR description is 70,000 characters; the limit is 65,536 characters");
  expect(describeOverLimit(checkLimit("changedFiles", 3412, "The PR's list of changed files")!)).toBe("The PR's list of changed files is 3,412 files; the limit is 3,000 files");
});

it.each([
  [512, "512 bytes"],
  [1024, "1 KiB"],
  [1536, "1.5 KiB"],
  [1024 * 1024, "1 MiB"],
  [5 * 1024 * 1024 + 1, "5.0 MiB"],
  [3 * 1024 ** 3, "3 GiB"],
])("formats %d bytes as %s", (n, text) => {
  expect(formatAmount(n, "bytes")).toBe(text);
});
