// HTML building blocks for the report. Everything that came from GitHub is hostile text (PR titles,
// bodies, status descriptions, logins, rollback reasons): it goes through `text` or `attr`, and links
// only through `href`, which keeps http(s) URLs and drops everything else (javascript:, data:, …).
import { webUrl } from "../render/markdown.js";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Text content: every character that could open markup is an entity. */
export function text(value: string | number | null | undefined): string {
  return String(value ?? "").replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

/** A double-quoted attribute value. */
export function attr(value: string | number): string {
  return text(value);
}

/** A link target, or undefined when the URL is not plain http(s) (the link is then not drawn). */
export function href(raw: string | null | undefined): string | undefined {
  return webUrl(raw, ["https:", "http:"])?.href;
}

/** `<a>` to GitHub (new tab, no referrer), or the label alone when the URL is not safe. */
export function link(url: string | null | undefined, label: string): string {
  const target = href(url);
  return target ? `<a href="${attr(target)}" rel="noopener noreferrer" target="_blank">${text(label)}</a>` : text(label);
}

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "–";
  const s = ms / 1000;
  if (s < 120) return `${Number(s.toFixed(1))} s`;
  if (s < 7200) return `${Number((s / 60).toFixed(1))} min`;
  if (s < 172_800) return `${Number((s / 3600).toFixed(1))} h`;
  return `${Number((s / 86_400).toFixed(1))} d`;
}

/** A timestamp as people read it in a UTC report: `2026-11-23 09:00 UTC`. */
export function when(iso: string | null | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return "–";
  return `${new Date(Date.parse(iso)).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
