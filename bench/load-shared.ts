// What the load bench and its sender process agree on: the head SHA of event k of step s.
export function loadSha(step: number, k: number): string {
  return `${step.toString(16).padStart(4, "0")}${k.toString(16).padStart(36, "0")}`;
}
