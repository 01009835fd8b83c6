// A reach path drawn as a small inline SVG for report.html's "Blast radius": one box per node (its name, then kind ·
// provider), an arrow per step labelled with the step and its access, the last box coloured by the privilege at the
// end. No script, no font, no id (many charts share the page: no marker or gradient references). Node names and
// access texts are provider data — hostile: each label is shortened (reports/display-text.ts, controls shown as
// escapes) and escaped with h(), the full text kept in a <title> (escaped too) for the tooltip.
import { displayText } from './display-text.ts';
import { h } from './html-escape.ts';
import type { ChainNode, ChainStep } from './reach-types.ts';
import { SEVERITY_COLOURS, type Severity } from './reference.ts';

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';
const BOX_W = 150; const BOX_H = 46; const GAP = 96; const PAD = 4; const TOP = 20;
/** Characters of a name a box shows (the rest is in the tooltip). */
export const CHAIN_NAME_MAX = 18;
const LABEL_MAX = 15;

/** The path as an SVG: `nodes` (steps.length + 1 of them when drawn; two when only the ends are known: a dashed arrow). */
export function chainSvg(title: string, nodes: ChainNode[], steps: ChainStep[], privilege: Severity): string {
  const width = PAD * 2 + nodes.length * BOX_W + (nodes.length - 1) * GAP;
  const height = TOP + BOX_H + 22;
  const boxes = nodes.map((n, i) => {
    const x = PAD + i * (BOX_W + GAP);
    const last = i === nodes.length - 1;
    const stroke = last ? SEVERITY_COLOURS[privilege] : '#94a3b8';
    return `<g><title>${h(`${n.name} (${n.kind}, ${n.provider})`)}</title>`
      + `<rect x="${x}" y="${TOP}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${last ? '#fff7ed' : '#fff'}" stroke="${h(stroke)}" stroke-width="${last ? 2 : 1}"/>`
      + `<text x="${x + BOX_W / 2}" y="${TOP + 19}" text-anchor="middle" font-size="12" font-weight="600" fill="#0f172a">${h(displayText(n.name, CHAIN_NAME_MAX))}</text>`
      + `<text x="${x + BOX_W / 2}" y="${TOP + 35}" text-anchor="middle" font-size="10" fill="#475569">${h(displayText(`${n.kind} · ${n.provider}`, CHAIN_NAME_MAX + 4))}</text></g>`;
  }).join('');
  const arrows = nodes.slice(1).map((_, i) => {
    const x1 = PAD + (i + 1) * BOX_W + i * GAP + 4; const x2 = x1 + GAP - 8; const y = TOP + BOX_H / 2;
    const s = steps[i];
    const dash = s ? '' : ' stroke-dasharray="4 3"';
    const label = s ? `<text x="${(x1 + x2) / 2}" y="${y - 6}" text-anchor="middle" font-size="10" font-weight="600" fill="#0b3b5c">${h(displayText(s.step, LABEL_MAX))}</text>`
      + `<text x="${(x1 + x2) / 2}" y="${y + 14}" text-anchor="middle" font-size="9.5" fill="#475569">${h(displayText(s.access, LABEL_MAX))}</text>`
      : `<text x="${(x1 + x2) / 2}" y="${y - 6}" text-anchor="middle" font-size="10" fill="#64748b">not drawn</text>`;
    return `<g><title>${h(s ? `${s.step}: ${s.access}` : 'the steps between these two are not in the graph any more')}</title>`
      + `<line x1="${x1}" y1="${y}" x2="${x2 - 6}" y2="${y}" stroke="#0b3b5c" stroke-width="1.5"${dash}/>`
      + `<polygon points="${x2},${y} ${x2 - 8},${y - 4} ${x2 - 8},${y + 4}" fill="#0b3b5c"/>${label}</g>`;
  }).join('');
  return `<svg class="chain" role="img" aria-label="${h(displayText(title, 300))}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" ${FONT} xmlns="http://www.w3.org/2000/svg">`
    + `<title>${h(displayText(title, 300))}</title>${boxes}${arrows}</svg>`;
}
