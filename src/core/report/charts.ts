// Inline SVG bar charts for the report (no script, no fonts or images to fetch). Labels are text
// nodes escaped like everything else; a reference line (the rollback SLO) is drawn when given.
import { text } from "./html.js";

export interface Bar {
  label: string;
  value: number;
  /** Tooltip and screen-reader text. */
  title: string;
  /** Drawn in the warning colour (over the SLO, a failure). */
  alert?: boolean;
}

const WIDTH = 360;
const HEIGHT = 140;
const PAD = { top: 10, right: 8, bottom: 28, left: 8 };

export function barChart(bars: readonly Bar[], options: { label: string; reference?: { value: number; label: string } }): string {
  if (bars.length === 0) return `<p class="empty">No data yet.</p>`;
  const max = Math.max(...bars.map((b) => b.value), options.reference?.value ?? 0) || 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / bars.length;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const parts = bars.map((b, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const top = y(b.value);
    const labelX = PAD.left + i * slot + slot / 2;
    const showLabel = bars.length <= 12 || i % Math.ceil(bars.length / 12) === 0;
    return [
      `<rect class="${b.alert ? "bar alert" : "bar"}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - top).toFixed(1)}"><title>${text(b.title)}</title></rect>`,
      showLabel ? `<text x="${labelX.toFixed(1)}" y="${HEIGHT - 10}" text-anchor="middle">${text(b.label)}</text>` : "",
    ].join("");
  });
  const ref = options.reference
    ? `<line class="ref" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(options.reference.value).toFixed(1)}" y2="${y(options.reference.value).toFixed(1)}"/><text class="ref" x="${WIDTH - PAD.right}" y="${(y(options.reference.value) - 3).toFixed(1)}" text-anchor="end">${text(options.reference.label)}</text>`
    : "";
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${text(options.label)}"><line class="axis" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}"/>${parts.join("")}${ref}</svg>`;
}
