// Inline SVG charts for report.html, drawn by hand so the page needs no script, CDN or font: horizontal
// bars, stacked horizontal bars and stacked columns, each with labels and values printed on the chart.
import { h } from './html-escape.ts';

export interface Bar { label: string; value: number; colour: string }
export interface Stack { label: string; parts: { value: number; colour: string; name: string }[] }

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

/** An axis maximum that divides into four whole-number ticks. */
function niceMax(v: number): number {
  const raw = Math.max(1, v) / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => Math.max(1, m * p)).find((x) => x >= raw)!;
  return step * 4;
}

/** One bar per row, label on the left, value at the bar's end. */
export function barChart(title: string, bars: Bar[], opts: { width?: number; labelWidth?: number } = {}): string {
  const width = opts.width ?? 500; const lw = opts.labelWidth ?? 120; const row = 26; const top = 8;
  const height = top + bars.length * row + 6;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = width - lw - 56;
  const rows = bars.map((b, i) => {
    const y = top + i * row;
    const w = b.value ? Math.max(2, (b.value / max) * span) : 0;
    return `<text x="${lw - 8}" y="${y + 15}" text-anchor="end" font-size="12" fill="#334155">${h(b.label)}</text>` +
      `<rect x="${lw}" y="${y + 3}" width="${w.toFixed(1)}" height="16" rx="3" fill="${h(b.colour)}"><title>${h(b.label)}: ${b.value}</title></rect>` +
      `<text x="${(lw + w + 6).toFixed(1)}" y="${y + 15}" font-size="12" font-weight="600" fill="#0f172a">${b.value.toLocaleString('en-GB')}</text>`;
  }).join('');
  return `<svg class="chart" role="img" aria-label="${h(title)}" viewBox="0 0 ${width} ${height}" width="100%" ${FONT} xmlns="http://www.w3.org/2000/svg">` +
    `<title>${h(title)}</title>${rows}</svg>`;
}

/** Horizontal stacked bars (e.g. approved / unapproved per provider), with a legend. */
export function stackedBars(title: string, stacks: Stack[], opts: { width?: number; labelWidth?: number } = {}): string {
  const width = opts.width ?? 500; const lw = opts.labelWidth ?? 100; const row = 28; const top = 8;
  const names = legendOf(stacks);
  const height = top + stacks.length * row + 30;
  const max = Math.max(1, ...stacks.map((s) => s.parts.reduce((n, p) => n + p.value, 0)));
  const span = width - lw - 56;
  const rows = stacks.map((s, i) => {
    const y = top + i * row;
    let x = lw;
    const rects = s.parts.map((p) => {
      const w = (p.value / max) * span;
      const r = p.value ? `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="18" fill="${h(p.colour)}"><title>${h(s.label)} — ${h(p.name)}: ${p.value}</title></rect>` : '';
      x += w;
      return r;
    }).join('');
    const total = s.parts.reduce((n, p) => n + p.value, 0);
    return `<text x="${lw - 8}" y="${y + 16}" text-anchor="end" font-size="12" fill="#334155">${h(s.label)}</text>${rects}` +
      `<text x="${(x + 6).toFixed(1)}" y="${y + 16}" font-size="12" font-weight="600" fill="#0f172a">${total.toLocaleString('en-GB')}</text>`;
  }).join('');
  return `<svg class="chart" role="img" aria-label="${h(title)}" viewBox="0 0 ${width} ${height}" width="100%" ${FONT} xmlns="http://www.w3.org/2000/svg">` +
    `<title>${h(title)}</title>${rows}${legend(names, lw, height - 14)}</svg>`;
}

/** Vertical stacked columns over time (the trend), with a y axis, totals above columns and a legend. */
export function stackedColumns(title: string, stacks: Stack[], opts: { width?: number; height?: number; legend?: { name: string; colour: string }[] } = {}): string {
  const width = opts.width ?? 520; const height = opts.height ?? 230;
  const left = 36; const right = 10; const top = 18; const bottom = 58;
  const plotH = height - top - bottom; const plotW = width - left - right;
  const max = niceMax(Math.max(1, ...stacks.map((s) => s.parts.reduce((n, p) => n + p.value, 0))));
  const slot = plotW / Math.max(1, stacks.length); const colW = Math.min(54, slot * 0.6);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = top + plotH - f * plotH; const v = Math.round(max * f);
    return `<line x1="${left}" x2="${width - right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e2e8f0"/>` +
      `<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="10" fill="#64748b">${v}</text>`;
  }).join('');
  const cols = stacks.map((s, i) => {
    const cx = left + slot * i + slot / 2; let y = top + plotH;
    const rects = s.parts.map((p) => {
      const hgt = (p.value / max) * plotH; y -= hgt;
      return p.value ? `<rect x="${(cx - colW / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${colW.toFixed(1)}" height="${hgt.toFixed(1)}" fill="${h(p.colour)}"><title>${h(s.label)} — ${h(p.name)}: ${p.value}</title></rect>` : '';
    }).join('');
    const total = s.parts.reduce((n, p) => n + p.value, 0);
    return `${rects}<text x="${cx.toFixed(1)}" y="${(y - 5).toFixed(1)}" text-anchor="middle" font-size="11" font-weight="600" fill="#0f172a">${total}</text>` +
      `<text x="${cx.toFixed(1)}" y="${top + plotH + 15}" text-anchor="middle" font-size="11" fill="#334155">${h(s.label)}</text>`;
  }).join('');
  const empty = stacks.length ? '' : `<text x="${width / 2}" y="${top + plotH / 2}" text-anchor="middle" font-size="12" fill="#64748b">No reconciliation history yet</text>`;
  return `<svg class="chart" role="img" aria-label="${h(title)}" viewBox="0 0 ${width} ${height}" width="100%" ${FONT} xmlns="http://www.w3.org/2000/svg">` +
    `<title>${h(title)}</title>${grid}${cols}${empty}${legend(opts.legend ?? legendOf(stacks), left, height - 14)}</svg>`;
}

function legendOf(stacks: Stack[]): { name: string; colour: string }[] {
  const seen = new Map<string, string>();
  for (const s of stacks) for (const p of s.parts) if (!seen.has(p.name)) seen.set(p.name, p.colour);
  return [...seen].map(([name, colour]) => ({ name, colour }));
}

function legend(items: { name: string; colour: string }[], x0: number, y: number): string {
  let x = x0;
  return items.map((it) => {
    const s = `<rect x="${x}" y="${y - 9}" width="10" height="10" rx="2" fill="${h(it.colour)}"/><text x="${x + 14}" y="${y}" font-size="11" fill="#334155">${h(it.name)}</text>`;
    x += 26 + it.name.length * 6.2;
    return s;
  }).join('');
}
