import { commentCommand, isIgnored, type PullComment } from "../../../src/core/commands/comment-command.js";

const comment = (over: Partial<PullComment> = {}): PullComment => ({
  target: { owner: "acme", repo: "shop", pullNumber: 7 },
  source: "comment",
  id: 11,
  body: "/release advance canary",
  url: "https://github.com/acme/shop/pull/7#issuecomment-11",
  author: { login: "dev", type: "User" },
  viaApp: false,
  digest: "digest-of-body",
  ...over,
});

describe("commentCommand", () => {
  it("reads the first /release line as the request and counts the rest", () => {
    const read = commentCommand(comment({ body: "/release advance canary\n/release rollback" }));
    expect(read).toEqual({
      kind: "command",
      request: {
        target: { owner: "acme", repo: "shop", pullNumber: 7 },
        origin: { source: "comment", key: "11", actor: { login: "dev", type: "User" } },
        command: expect.objectContaining({ kind: "command", verb: "advance", args: ["canary"] }),
        ignored: 1,
        commentId: 11,
        commentUrl: "https://github.com/acme/shop/pull/7#issuecomment-11",
      },
    });
  });

  it("binds the request to the comment as delivered (id, author id, the adapter's digest) when the author's id is known", () => {
    const read = commentCommand(comment({ body: "/release override hotfix", author: { login: "dev", type: "User", id: 501 }, digest: "d1" }));
    expect(read).toMatchObject({ kind: "command", request: { comment: { id: 11, authorId: 501, digest: "d1" } } });
    const anonymous = commentCommand(comment({ body: "/release override hotfix" }));
    expect(anonymous.kind === "command" && "comment" in anonymous.request).toBe(false);
  });

  it("never reads bots, comments made through an app, deleted accounts, or a bot sender", () => {
    expect(commentCommand(comment({ author: { login: "release-gate[bot]", type: "Bot" } }))).toEqual({ kind: "ignored", why: "bot" });
    expect(commentCommand(comment({ viaApp: true }))).toEqual({ kind: "ignored", why: "bot" });
    expect(commentCommand(comment({ author: null }))).toEqual({ kind: "ignored", why: "not-a-user" });
    expect(commentCommand(comment({ sender: { login: "ci[bot]", type: "Bot" } }))).toEqual({ kind: "ignored", why: "bot" });
    expect(isIgnored({ login: "dev", type: "User" })).toBe(false);
  });

  it("ignores ordinary conversation", () => {
    expect(commentCommand(comment({ body: "looks good to me" }))).toEqual({ kind: "ignored", why: "no-command" });
    expect(commentCommand(comment({ body: null }))).toEqual({ kind: "ignored", why: "no-command" });
  });
});
