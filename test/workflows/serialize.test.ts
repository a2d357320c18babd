import { pendingKeys, serialized } from "../../src/workflows/serialize.js";

const tick = () => new Promise((r) => setTimeout(r, 5));

it("runs tasks of one key in order, never overlapping, and other keys in parallel", async () => {
  const log: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const task = (name: string) => async () => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    log.push(`start ${name}`);
    await tick();
    log.push(`end ${name}`);
    running--;
    return name;
  };
  const results = await Promise.all([serialized("a", task("a1")), serialized("a", task("a2")), serialized("b", task("b1"))]);
  expect(results).toEqual(["a1", "a2", "b1"]);
  expect(log.indexOf("end a1")).toBeLessThan(log.indexOf("start a2"));
  expect(maxRunning).toBe(2);
  await tick();
  expect(pendingKeys()).toBe(0);
});

it("keeps going after a failed task", async () => {
  const failed = serialized("k", async () => {
    throw new Error("boom");
  });
  const next = serialized("k", async () => "ok");
  await expect(failed).rejects.toThrow("boom");
  await expect(next).resolves.toBe("ok");
});
