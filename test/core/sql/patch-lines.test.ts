import { fileFromPatch, readPatch } from "../../../src/core/sql/patch-lines.js";

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
});
