// The inline stylesheet of report.html: system fonts only (no web fonts), severity colours, cards,
// sortable-looking tables, and print rules so "Save as PDF" gives a clean A4 document with every
// collapsed section expanded. A long unbroken name wraps instead of widening the page.
import { SEVERITY_COLOURS } from './reference.ts';

const sevRules = Object.entries(SEVERITY_COLOURS)
  .map(([s, c]) => `.sev-${s}{background:${c};color:#fff}.bar-${s}{border-left-color:${c}}.txt-${s}{color:${c}}`).join('\n');

export const CSS = `
:root{--ink:#0f172a;--muted:#475569;--line:#e2e8f0;--bg:#f8fafc;--brand:#0b3b5c}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:break-word}
main{max-width:1180px;margin:0 auto;padding:0 24px 48px}
header.top{background:linear-gradient(120deg,#0b3b5c,#14506f);color:#fff;padding:26px 0 22px;margin-bottom:20px}
header.top .in{max-width:1180px;margin:0 auto;padding:0 24px;display:flex;justify-content:space-between;gap:24px;flex-wrap:wrap}
header.top h1{margin:0 0 4px;font-size:24px;font-weight:650;letter-spacing:-.01em}
header.top .org{font-size:13px;text-transform:uppercase;letter-spacing:.08em;opacity:.8;overflow-wrap:anywhere}
header.top .in>div{min-width:0}
header.top dl{display:grid;grid-template-columns:auto auto;gap:2px 12px;margin:0;font-size:12.5px;opacity:.95}
header.top dt{opacity:.7}header.top dd{margin:0;font-variant-numeric:tabular-nums;word-break:break-all}
h2{font-size:19px;margin:34px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:15.5px;margin:22px 0 8px}
nav.toc{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 16px}
nav.toc a{font-size:12.5px;color:var(--brand);background:#fff;border:1px solid var(--line);border-radius:999px;padding:3px 11px;text-decoration:none}
nav.toc a:hover{background:#eef6fb}
p.exec{font-size:15px;line-height:1.5;margin:4px 0 14px;max-width:980px}
td.d{white-space:nowrap}
p.lead{color:var(--muted);margin:4px 0 12px}
.callout{border:1px solid #fca5a5;background:#fef2f2;border-left:6px solid #dc2626;border-radius:8px;padding:12px 16px;margin:0 0 18px}
.callout h2{border:0;margin:0 0 6px;padding:0;font-size:16px;color:#991b1b}
.callout ul{margin:0;padding-left:20px}.callout li{margin:3px 0}
.info{border:1px solid #bfdbfe;background:#eff6ff;border-left:6px solid #3b82f6;border-radius:8px;padding:8px 16px;margin:0 0 18px;color:#1e3a8a}.info ul{margin:0;padding-left:20px}
.ok{border:1px solid #86efac;background:#f0fdf4;border-left:6px solid #16a34a;border-radius:8px;padding:10px 16px;margin:0 0 18px;color:#14532d}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:6px 0 18px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px;border-top:4px solid var(--brand);box-shadow:0 1px 2px rgba(15,23,42,.04)}
.card .k{font-size:11.5px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.card .v{font-size:30px;font-weight:700;line-height:1.15;margin:4px 0 2px;font-variant-numeric:tabular-nums}
.card .s{font-size:12.5px;color:var(--muted)}
.card.alert{border-top-color:#dc2626}.card.warn{border-top-color:#d97706}.card.good{border-top-color:#16a34a}
.chips{display:flex;flex-wrap:wrap;gap:4px;margin-top:6px}
.chip{display:inline-block;border-radius:999px;padding:1px 8px;font-size:11.5px;font-weight:600;white-space:nowrap}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:12px}
.panel{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.panel.wide{grid-column:1/-1}
.panel.wide svg{max-width:760px}
.panel h3{margin:2px 0 8px;font-size:14px}
.panel .note{font-size:11.5px;color:var(--muted);margin:4px 0 0}
svg.chart{display:block;max-width:100%;height:auto}
.blast{display:grid;gap:10px;margin:6px 0 12px}
.blast .path{background:#fff;border:1px solid var(--line);border-left:4px solid transparent;border-radius:8px;padding:8px 12px}
.blast .path-head{font-size:13px;margin-bottom:4px;overflow-wrap:anywhere}
svg.chain{display:block;height:auto}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line);border-radius:8px;overflow:hidden;font-size:13px;margin:6px 0 10px}
th{background:#f1f5f9;text-align:left;font-weight:600;color:#334155;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
th,td{padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
td{overflow-wrap:anywhere}
tbody tr:nth-child(even){background:#fbfdff}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.sev{border-left:4px solid transparent;white-space:nowrap}
td .ev{display:block;color:var(--muted);font-size:12px;margin-top:2px;word-break:break-word}
td .fw{display:inline-block;background:#eef2ff;color:#3730a3;border-radius:4px;padding:0 5px;margin:1px 2px 1px 0;font-size:11.5px;white-space:nowrap}
td.name{font-weight:600;word-break:break-word}
.tag{display:inline-block;font-size:11px;border-radius:4px;padding:0 5px;background:#e2e8f0;color:#334155;margin-left:4px}
.tag.new{background:#fee2e2;color:#991b1b}.tag.no{background:#fee2e2;color:#991b1b}.tag.yes{background:#dcfce7;color:#166534}
details{margin:6px 0}
details>summary{cursor:pointer;color:var(--brand);font-weight:600;padding:4px 0}
details.owner{background:#fff;border:1px solid var(--line);border-radius:8px;padding:4px 12px;margin:6px 0}
details.owner>summary{color:var(--ink)}
.capnote{font-size:12.5px;color:#92400e;background:#fffbeb;border:1px solid #fde68a;border-radius:6px;padding:6px 10px;margin:6px 0}
.fam-why{color:var(--muted);margin:0 0 6px}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
.signoff{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 18px}
.signoff .field{display:grid;grid-template-columns:260px 1fr;gap:12px;align-items:end;margin:16px 0 0}
.signoff .line{border-bottom:1px solid #94a3b8;height:22px}
footer{color:var(--muted);font-size:12px;margin-top:30px;border-top:1px solid var(--line);padding-top:10px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
${sevRules}
@media print{
  body{background:#fff;font-size:11px}
  header.top{background:#0b3b5c !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  main{max-width:none;padding:0}
  h2{break-after:avoid}h3{break-after:avoid}
  tr,.card,.panel,svg{break-inside:avoid}
  details::details-content{content-visibility:visible;display:block}
  details>summary{list-style:none}
  details.more>summary{display:none}
  code.cmd{white-space:pre-wrap}
  .signoff{break-inside:avoid}
  .noprint{display:none}
}
`;

/**
 * The printed page: A4, a running header (organisation, report, month) at the top of every page and "Page n of N"
 * at the bottom (CSS page-margin boxes). The header text is the only per-report part: reduced to letters, digits and
 * plain punctuation so nothing can end the CSS string or the <style> element.
 */
export function pageRules(title: string): string {
  const safe = [...title].map((c) => (/[\p{L}\p{N} .,:;&()\/_+'—–-]/u.test(c) ? c : '?')).join('').slice(0, 160);
  return `@media print{@page{size:A4;margin:16mm 12mm 14mm;`
    + `@top-left{content:"${safe}";font:9px system-ui,sans-serif;color:#475569}`
    + `@bottom-right{content:"Page " counter(page) " of " counter(pages);font:9px system-ui,sans-serif;color:#475569}}}`;
}
