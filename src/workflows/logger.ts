// The log the workflows write to: Probot's pino logger in the app, the runner's log in a workflow step.
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}
