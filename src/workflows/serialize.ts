// Runs tasks with the same key one after another. GitHub sends `opened` and `labeled` for a PR
// created with labels at the same moment; without this both would find no check run and create two.
const tails = new Map<string, Promise<void>>();

export function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}

/** Keys with work queued or running (for tests and shutdown). */
export function pendingKeys(): number {
  return tails.size;
}
