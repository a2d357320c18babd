// The flagd driver: the flag-definition file flagd watches (a file source, or the file a sync
// service publishes), rewritten in place. Written to a temporary file in the same directory and
// renamed over the old one, so flagd's watcher never reads half a file; a lock file next to it keeps
// two writers (two stages, two regions) from losing each other's change between read and rename.
import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FlagDriverError, type FlagChange, type FlagDriver, type FlagState, type FlagTarget } from "../core/flags/driver.js";
import { flagdState, setFlagdRollout, turnFlagdOff, type FlagdEdit, type FlagdOptions } from "../core/flags/flagd-file.js";

export interface FlagdDriverOptions extends FlagdOptions {
  /** The flag-definition JSON file. */
  path: string;
}

export function flagdDriver(options: FlagdDriverOptions): FlagDriver {
  const { path, key } = options;
  const fail = (message: string) => new FlagDriverError("flagd", key, `${path}: ${message}`);
  const load = async () => {
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      throw fail(`cannot read the flag file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  const apply = (edit: (text: string) => FlagdEdit): Promise<FlagChange> =>
    withLock(path, fail, async () => {
      const result = edit(await load());
      if (!result.ok) throw fail(result.message);
      await writeAtomically(path, result.text).catch((error: Error) => {
        throw fail(`cannot write the flag file (${(error as NodeJS.ErrnoException).code ?? error.message})`);
      });
      return { provider: "flagd", key, from: result.from, to: result.to };
    });
  return {
    provider: "flagd",
    key,
    read: async (): Promise<FlagState> => {
      const result = flagdState(await load(), options);
      if (!result.ok) throw fail(result.message);
      return result.state;
    },
    setRollout: (target: FlagTarget) => apply((text) => setFlagdRollout(text, options, target)),
    turnOff: () => apply((text) => turnFlagdOff(text, options)),
  };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  // The new file keeps the old one's permissions (a sync sidecar may read it as another user).
  const mode = await stat(path).then((s) => s.mode & 0o777, () => 0o644);
  try {
    await writeFile(temporary, text, { mode, flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A lock older than this was left by a writer that died; it is taken over. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

async function withLock<T>(path: string, fail: (message: string) => Error, body: () => Promise<T>): Promise<T> {
  const lock = `${path}.release-gate.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await (await open(lock, "wx")).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw fail(`cannot lock the flag file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await rm(lock, { force: true });
      else if (Date.now() > deadline) throw fail(`another writer has held ${lock} for ${Math.round(age / 1000)}s; remove it if no Release Gate step is running`);
      else await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
  }
  try {
    return await body();
  } finally {
    await rm(lock, { force: true });
  }
}
