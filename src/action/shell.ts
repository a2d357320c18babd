// Runs the user's shell commands (shift, rollback, command gates) with /bin/sh, capturing output.
import { spawn } from "node:child_process";
import type { CommandResult } from "../core/gates/parse-command-output.js";
import { commandEnv } from "./command-env.js";

export interface ShellOptions {
  /** The RELEASE_* variables for this command; added to the allow-listed runner environment. */
  env: Record<string, string>;
  /** The environment to filter (the Action's own by default). */
  baseEnv?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Streams output lines to the log as they come (shift and rollback); gate commands stay quiet. */
  onLine?: (line: string) => void;
}

export function runShell(command: string, options: ShellOptions): Promise<CommandResult & { timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", command], {
      env: commandEnv(options.baseEnv ?? process.env, options.env),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const forward = (chunk: Buffer, into: "out" | "err") => {
      const text = chunk.toString("utf8");
      if (into === "out") stdout = (stdout + text).slice(-64_000);
      else stderr = (stderr + text).slice(-64_000);
      if (options.onLine) for (const line of text.split("\n")) if (line.trim() !== "") options.onLine(line);
    };
    child.stdout.on("data", (c: Buffer) => forward(c, "out"));
    child.stderr.on("data", (c: Buffer) => forward(c, "err"));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ exitCode: 127, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ exitCode: timedOut ? null : code, stdout, stderr: timedOut ? `${stderr}timed out after ${options.timeoutMs}ms` : stderr, timedOut });
    });
  });
}
