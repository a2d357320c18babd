// The runner protocol the Action uses, as one narrow interface: @actions/core in production, a
// recording double in tests.
import * as core from "@actions/core";
import { redactSecrets } from "../core/gates/redact-secrets.js";

export interface ActionIo {
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  setSecret(secret: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  setFailed(message: string): void;
  writeSummary(markdown: string): Promise<void>;
}

export const coreIo: ActionIo = {
  getInput: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  saveState: (name, value) => core.saveState(name, value),
  getState: (name) => core.getState(name),
  setSecret: (secret) => core.setSecret(secret),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  setFailed: (message) => core.setFailed(message),
  writeSummary: async (markdown) => {
    // Outside a runner (GITHUB_STEP_SUMMARY unset) there is nowhere to write; the log has it all.
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(markdown, true).write();
  },
};

/**
 * Every message, output and summary with URL credentials redacted (gate URLs may carry them, and
 * errors quote URLs). The runner also masks the exact values the Action registers with setSecret.
 */
export function redactingIo(io: ActionIo): ActionIo {
  return {
    ...io,
    setOutput: (name, value) => io.setOutput(name, redactSecrets(value)),
    info: (message) => io.info(redactSecrets(message)),
    warning: (message) => io.warning(redactSecrets(message)),
    error: (message) => io.error(redactSecrets(message)),
    setFailed: (message) => io.setFailed(redactSecrets(message)),
    writeSummary: (markdown) => io.writeSummary(redactSecrets(markdown)),
  };
}
