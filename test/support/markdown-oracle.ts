// An independent judge of what Markdown the app writes will do on GitHub: markdown-it (CommonMark,
// GFM tables and strikethrough, linkify for GFM's autolink literals, raw HTML on as GitHub allows a
// subset), plus what GitHub links after rendering in text outside code: @mentions, #123 / GH-123
// references, www. / scheme:// URLs and e-mail addresses.
import MarkdownIt, { type Token } from "markdown-it";

const md = new MarkdownIt({ html: true, linkify: true });

export interface Rendered {
  html: string;
  tokens: Token[];
}

export function render(markdown: string): Rendered {
  const tokens = md.parse(markdown, {});
  return { tokens, html: md.renderer.render(tokens, md.options, {}) };
}

/** Everything live in a rendering: each list should be empty for text that must stay inert. */
export interface LiveMarkdown {
  links: string[];
  images: string[];
  /** Raw HTML (inline or block), except the tags the caller's template writes itself. */
  html: string[];
  /** Code blocks and fences: user text must never open one. */
  blocks: string[];
  /** Code spans (only `code()` may make them). */
  code: string[];
  /** What GitHub would link in rendered text: mentions, references, bare URLs, e-mail. */
  autolinks: string[];
}

const GITHUB_TEXT_LINKS = [/@[a-z0-9]/i, /#\d/, /gh-\d/i, /www\./i, /[a-z][a-z0-9+.-]*:\/\//i];

/** The caller's own HTML: exact tags, or patterns for blocks whose content varies (the state comment). */
export type OwnHtml = readonly (string | RegExp)[];

/** The HTML the status comment writes itself: its marker, the state block, the help's <details>, <sub>. */
export const STATUS_COMMENT_HTML: OwnHtml = [/^<!-- release-gate:(status|state \{.*\}) -->$/s, /^<details( open)?><summary>Commands<\/summary>$/, "</details>", "<sub>", "</sub>"];

const isOwn = (html: string, own: OwnHtml) => own.some((o) => (typeof o === "string" ? o === html : o.test(html)));

export function liveMarkdown(markdown: string, ownHtml: OwnHtml = []): LiveMarkdown {
  const { tokens, html } = render(markdown);
  const live: LiveMarkdown = { links: [], images: [], html: [], blocks: [], code: [], autolinks: [] };
  for (const m of html.matchAll(/<a[\s>][^>]*>|<img[\s>][^>]*>/gi)) (m[0].startsWith("<a") ? live.links : live.images).push(m[0]);
  for (const token of tokens) {
    if (token.type === "html_block" && !token.content.trim().split("\n").every((line) => isOwn(line, ownHtml))) live.html.push(token.content);
    if (token.type === "fence" || token.type === "code_block") live.blocks.push(token.content);
    if (token.type !== "inline") continue;
    let text = "";
    const flush = () => {
      const hit = GITHUB_TEXT_LINKS.find((re) => re.test(text));
      if (hit) live.autolinks.push(text);
      text = "";
    };
    for (const child of token.children ?? []) {
      if (child.type === "text") text += child.content;
      else if (child.type === "softbreak" || child.type === "hardbreak") text += " ";
      else flush();
      if (child.type === "link_open") live.links.push(child.attrGet("href") ?? "");
      if (child.type === "image") live.images.push(child.attrGet("src") ?? "");
      if (child.type === "html_inline" && !isOwn(child.content, ownHtml)) live.html.push(child.content);
      if (child.type === "code_inline") live.code.push(child.content);
    }
    flush();
  }
  return live;
}

/** The text a reader sees, code included, one line per block. */
export function visibleText(markdown: string): string {
  const lines: string[] = [];
  for (const token of render(markdown).tokens) {
    if (token.type === "fence" || token.type === "code_block" || token.type === "html_block") lines.push(token.content);
    if (token.type !== "inline") continue;
    lines.push(
      (token.children ?? [])
        .map((c) => (c.type === "text" || c.type === "code_inline" ? c.content : c.type === "softbreak" || c.type === "hardbreak" ? "\n" : ""))
        .join(""),
    );
  }
  return lines.join("\n");
}

/**
 * For comparing shown text with its source: zero-width spaces (the renderer's only addition) and
 * whitespace runs do not count; NUL is shown as U+FFFD by every CommonMark renderer.
 */
export function normalise(text: string): string {
  return text.replace(/\u200b/g, "").replace(/\0/g, "\ufffd").replace(/\s+/g, " ").trim();
}
