// Recognises the follow-up issues the gate opens (render/override-report.ts writes them): the
// post-mortem every approved override owes and the flag-removal issue at 100%. The adapter passes
// only issues the gate's own identity wrote; their text is still parsed strictly, line by line.
import type { GateIssue } from "./types.js";

export interface IssueRecord {
  number: number;
  title: string;
  body: string | null;
  url: string;
}

const POST_MORTEM_TITLE = /^Post-mortem: readiness override on #(\d{1,9}) /;
const FLAG_TITLE = /^Remove release flag (.{1,200}) \(released in #(\d{1,9})\)$/;
const REQUESTED = /^- Requested by (\S{1,100}) at (\S{1,40})$/m;
const APPROVED = /^- Approved by (\S{1,100}) at (\S{1,40})$/m;
const REASON = /^- Reason: (.{0,2000})$/m;

export function parseGateIssue(issue: IssueRecord): GateIssue | undefined {
  const pm = POST_MORTEM_TITLE.exec(issue.title);
  if (pm) {
    const body = issue.body ?? "";
    const requested = REQUESTED.exec(body);
    const approved = APPROVED.exec(body);
    if (!requested || !approved) return undefined;
    return {
      kind: "post-mortem",
      release: Number(pm[1]),
      number: issue.number,
      url: issue.url,
      requester: unescapeProse(requested[1]!),
      requestedAt: unescapeProse(requested[2]!),
      approver: unescapeProse(approved[1]!),
      approvedAt: unescapeProse(approved[2]!),
      reason: unescapeProse(REASON.exec(body)?.[1] ?? ""),
    };
  }
  const flag = FLAG_TITLE.exec(issue.title);
  if (flag) return { kind: "flag-removal", release: Number(flag[2]), number: issue.number, url: issue.url, flag: flag[1]! };
  return undefined;
}

/** The text escapeProse (render/markdown.ts) protected: backslash escapes and zero-width spaces go. */
function unescapeProse(text: string): string {
  return text.replace(/\u200b/g, "").replace(/\\([!-/:-@[-`{-~])/g, "$1");
}
