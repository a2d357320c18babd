// A recording double of the runner protocol for the Action's unit tests.
import type { ActionIo } from "../../src/action/io.js";

export class FakeIo implements ActionIo {
  inputs: Record<string, string>;
  outputs: Record<string, string> = {};
  state: Record<string, string> = {};
  secrets: string[] = [];
  log: string[] = [];
  failed: string | undefined;
  summary = "";

  constructor(inputs: Record<string, string> = {}, state: Record<string, string> = {}) {
    this.inputs = inputs;
    this.state = { ...state };
  }

  getInput = (name: string) => this.inputs[name] ?? "";
  setOutput = (name: string, value: string) => void (this.outputs[name] = value);
  saveState = (name: string, value: string) => void (this.state[name] = value);
  getState = (name: string) => this.state[name] ?? "";
  setSecret = (secret: string) => void this.secrets.push(secret);
  info = (message: string) => void this.log.push(message);
  warning = (message: string) => void this.log.push(`warning: ${message}`);
  error = (message: string) => void this.log.push(`error: ${message}`);
  setFailed = (message: string) => void (this.failed = message);
  writeSummary = async (markdown: string) => void (this.summary += markdown);
}
