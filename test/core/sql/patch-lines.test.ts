import { fileFromPatch, firstChangedLine, readPatch } from "../../../src/core/sql/patch-lines.js";

describe("patch lines", () => {
  test("added head lines across hunks, skipping removed lines and the no-newline marker", () => {
    const patch = ["@@ -1,3 +1,4 @@", " a", "-b", "+B", "+C", " d", "@@ -10,2 +11,2 @@", " x", "-y", "+Y", "\\ No newline at end of file"].join("\n");
    const lines = readPatch(patch);
    expect([...lines.added]).toEqual([2, 3, 12]);
    expect(lines.text.get(12)).toBe("Y");
  });

  test("a new file is rebuilt from a complete patch, and not from a truncated one", () => {
    const patch = "@@ -0,0 +1,3 @@\n+SET lock_timeout = '1s';\n+\n+ALTER TABLE t DROP COLUMN c;";
    expect(fileFromPatch(readPatch(patch), 3)).toBe("SET lock_timeout = '1s';\n\nALTER TABLE t DROP COLUMN c;\n");
    expect(fileFromPatch(readPatch(patch), 4)).toBeUndefined();
  });

  test("the first change is located on the head side, also when the patch only deletes lines", () => {
    // Deleting the `/*` and `*/` around a statement: the first deletion points at the line that now follows it.
    const uncomment = ["@@ -1,4 +1,2 @@", " SET lock_timeout = '2s';", "-/*", " DROP TABLE legacy;", "-*/"].join("\n");
    expect(firstChangedLine(uncomment)).toBe(2);
    expect(firstChangedLine(["@@ -10,3 +10,3 @@", " a", " b", "-c", "+C"].join("\n"))).toBe(12);
    expect(firstChangedLine("@@ -1,2 +0,0 @@\n-a\n-b")).toBe(1);
    expect(firstChangedLine("")).toBeUndefined();
  });
});
