// The flagd driver: the flag-definition file flagd watches (a file source, or the file a sync
// service publishes), rewritten in place. Written to a temporary file in the same directory and
// renamed over the old one, so flagd's watcher never reads half a file.
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
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
  const apply = async (edit: (text: string) => FlagdEdit): Promise<FlagChange> => {
    const result = edit(await load());
    if (!result.ok) throw fail(result.message);
    await writeAtomically(path, result.text).catch((error: Error) => {
      throw fail(`cannot write the flag file (${(error as NodeJS.ErrnoException).code ?? error.message})`);
    });
    return { provider: "flagd", key, from: result.from, to: result.to };
  };
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
