// The "Blast radius" and "AI agents with access" sections of report.html and report.md (docs/report.md). Every graph
// string goes through h()/isolated() (HTML) or md() (Markdown); the paths are drawn by reports/svg-chain.ts in HTML
// and written as a text chain (A —STEP→ B) in Markdown. An empty section says so in a sentence, never an empty table.
import { TEXT_MAX } from './display-text.ts';
import { h, isolated } from './html-escape.ts';
import type { ReportModel } from './model-types.ts';
import type { AgentItem, AgentPermission, BlastPath } from './reach-types.ts';
import { md } from './render-markdown.ts';
import { chainSvg } from './svg-chain.ts';
import { minute, num } from './text.ts';

/** Findings an agent's row lists (all of them are in the findings sections). */
const AGENT_FINDINGS = 3;
/** Permissions an agent's cell lists before "and N more". */
const AGENT_PERMISSIONS = 6;

export const BLAST_LEAD = 'What a connector could reach if it were abused: the paths whose end holds a role graded high or critical '
  + '(Owner, Contributor, roles/owner…), most privileged first, then those that cross a trust, then the shortest. A write-class hop into a repository controls its workflows, '
  + 'and so every identity that trusts those workflows\' tokens (docs/blast-radius.md).';
export const AGENTS_LEAD = 'Connectors whose category is an AI agent\'s (AI assistant, coding agent, meeting recorder): the inventory entry\'s '
  + '`category:` first, else the category catalogue by a known identifier (with its public source), else by name — which is said. '
  + 'What each can read and change is graded by the risk catalogue.';

/** Why the blast-radius section has no paths, in a sentence. */
export function blastEmpty(m: ReportModel): string {
  if (!m.reconciliation) return 'Not reconciled: reach summaries are computed for a reconciliation (nhi-census reconcile), before its report.';
  if (!m.blastRadius.computation) return 'No reach summaries were computed for this reconciliation: the graph holds a crawl newer than it (reconcile again, then report), or it was written by an earlier version.';
  return 'None: no connector reaches a role graded high or critical.';
}

/** Why the AI-agents section has no rows, in a sentence. */
export function agentsEmpty(m: ReportModel): string {
  return m.aiAgents.reconciled ? 'None: no connector is classified as an AI agent (by the inventory\'s category:, the category catalogue or its name).'
    : 'None found by the category catalogue; not reconciled, so the inventory\'s categories and approvals are not known.';
}

const pathTitle = (p: BlastPath) => `${p.connector} reaches ${p.roles.join(', ') || p.privilege} on ${p.target} in ${p.hops} hop${p.hops === 1 ? '' : 's'}`;
const permText = (p: AgentPermission) => `${p.scope} (${p.access}${p.broad ? `, ${p.broad}` : ''})`;
const categoryFrom = (a: AgentItem) => (a.categoryFrom === 'inventory' ? 'inventory' : a.categoryFrom === 'name' ? 'matched by name' : 'catalogue');

function pathHead(p: BlastPath): string {
  return `<span class="chip sev-${h(p.privilege)}">${h(p.privilege)}</span> <b>${isolated(p.connector)}</b> <span class="tag">${h(p.provider)}</span> → `
    + `<b>${isolated(p.roles.join(', ') || p.privilege)}</b> on ${isolated(p.target)} <span class="tag">${h(p.targetType)} · ${h(p.targetProvider)}</span>`
    + ` · ${num(p.hops)} hop${p.hops === 1 ? '' : 's'}${p.viaTrust ? ' · <span class="tag no">through a trust</span>' : ''}`;
}

export function blastRadiusHtml(m: ReportModel): string {
  const b = m.blastRadius;
  let out = `<h2 id="blast-radius">Blast radius</h2><p class="lead">${h(BLAST_LEAD)}</p>`;
  if (!b.paths.length) return out + `<p class="lead">${h(blastEmpty(m))}</p>`;
  out += `<p class="lead">${num(b.total)} path${b.total === 1 ? '' : 's'} end on high or critical privilege; the ${num(b.paths.length)} most privileged are drawn`
    + ` (reach computed ${h(minute(b.computation?.computedAt))} after reconciliation #${b.computation?.reconId}). blast-radius.csv lists the drawn paths; connectors.csv has every connector's reach.</p>`;
  if (b.note) out += `<p class="capnote">${h(b.note)}</p>`;
  return out + `<div class="blast">${b.paths.map((p) => `<div class="path bar-${h(p.privilege)}"><div class="path-head">${pathHead(p)}</div>`
    + `${chainSvg(pathTitle(p), p.nodes, p.steps, p.privilege)}${p.drawn ? '' : '<span class="ev">The steps between its ends are not in the graph any more (a newer crawl): only its ends are shown.</span>'}</div>`).join('')}</div>`;
}

function permCell(ps: AgentPermission[], none: string): string {
  if (!ps.length) return h(none);
  const shown = ps.slice(0, AGENT_PERMISSIONS).map((p) => `<code>${isolated(p.scope)}</code> <span class="chip sev-${h(p.severity)}">${h(p.access)}</span>${p.broad ? ` <small>${isolated(p.broad)}</small>` : ''}`);
  return shown.join('<br>') + (ps.length > AGENT_PERMISSIONS ? `<br><small>and ${num(ps.length - AGENT_PERMISSIONS)} more</small>` : '');
}

export function aiAgentsHtml(m: ReportModel): string {
  const a = m.aiAgents;
  let out = `<h2 id="ai-agents">AI agents with access</h2><p class="lead">${h(AGENTS_LEAD)}</p>`;
  if (!a.agents.length) out += `<p class="lead">${h(agentsEmpty(m))}</p>`;
  else {
    out += `<table class="agents"><thead><tr><th>Agent</th><th>Category and how it is known</th><th>Can read</th><th>Can change</th><th>Reach</th><th>Approved by</th><th>Findings</th></tr></thead><tbody>`
      + a.agents.map((x) => `<tr><td class="name">${isolated(x.name)} <span class="tag">${h(x.provider)}</span><span class="ev">${h(x.typeLabel)}${x.vendor ? ` · ${isolated(x.vendor)}` : ''}</span></td>`
        + `<td><b>${h(x.category)}</b> <span class="tag">${h(categoryFrom(x))}</span><span class="ev">${isolated(x.how, TEXT_MAX)}</span></td>`
        + `<td>${permCell(x.reads, 'nothing recorded')}</td><td>${permCell(x.changes, 'nothing')}</td><td>${x.reach ? isolated(x.reach, TEXT_MAX) : '—'}</td>`
        + `<td>${x.approval ? `<span class="tag yes">${isolated(x.approval.entry)}</span>${x.approval.owners.map((o) => `<span class="ev">${isolated(o)}</span>`).join('')}`
          + `${x.approval.ticket ? `<span class="ev">ticket ${isolated(x.approval.ticket)}</span>` : ''}` : a.reconciled ? '<span class="tag no">not approved</span>' : 'unknown'}</td>`
        + `<td>${x.findings.length ? x.findings.slice(0, AGENT_FINDINGS).map((f) => `<span class="chip sev-${h(f.severity)}">${h(f.severity)}</span> ${isolated(f.title, TEXT_MAX)}`).join('<br>')
          + (x.findings.length > AGENT_FINDINGS ? `<br><small>and ${num(x.findings.length - AGENT_FINDINGS)} more</small>` : '') : 'none'}</td></tr>`).join('') + '</tbody></table>';
  }
  if (a.personalCredentials.length) {
    out += '<h3>Personal credentials that look used by an agent</h3><p class="lead">A person\'s token whose own name or note names an agent (MCP, agent, Copilot…): the agent acts with all of that person\'s access. Flagged for review; the finding says what matched.</p>'
      + `<table><thead><tr><th>Severity</th><th>Credential</th><th>Provider</th><th>Owner</th><th>Finding</th></tr></thead><tbody>${a.personalCredentials.map((c) =>
        `<tr><td class="sev bar-${h(c.severity)}"><span class="chip sev-${h(c.severity)}">${h(c.severity)}</span></td><td class="name">${isolated(c.subject)}</td><td>${h(c.provider)}</td>`
        + `<td>${c.owner ? isolated(c.owner) : 'none known'}</td><td>${isolated(c.title, TEXT_MAX)}</td></tr>`).join('')}</tbody></table>`;
  }
  return out;
}

/** A path as a Markdown text chain: `deployhub (connector, github) —CONTROLS: write→ acme/payments (resource, github) — …`. */
export function chainText(p: BlastPath): string {
  const node = (i: number) => { const n = p.nodes[i]!; return `${md(n.name)} (${md(n.kind)}, ${md(n.provider)})`; };
  let s = node(0);
  for (let i = 1; i < p.nodes.length; i++) {
    const st = p.steps[i - 1];
    s += st ? ` —${md(st.step)}: ${md(st.access, 60)}→ ` : ' → … → ';
    s += node(i);
  }
  return s;
}

export function blastRadiusMarkdown(m: ReportModel, L: string[]): void {
  const b = m.blastRadius;
  L.push('## Blast radius', '', `_${md(BLAST_LEAD, 1000)}_`, '');
  if (!b.paths.length) { L.push(md(blastEmpty(m), TEXT_MAX), ''); return; }
  L.push(`${num(b.total)} path${b.total === 1 ? '' : 's'} end on high or critical privilege; the ${num(b.paths.length)} most privileged (reach computed ${minute(b.computation?.computedAt)} after reconciliation #${b.computation?.reconId}):`, '');
  if (b.note) L.push(`_${md(b.note, TEXT_MAX)}_`, '');
  b.paths.forEach((p, i) => {
    L.push(`${i + 1}. **${p.privilege}** · ${md(p.connector)} (${md(p.provider)}) → **${md(p.roles.join(', ') || p.privilege)}** on ${md(p.target)} (${md(p.targetType)}, ${md(p.targetProvider)})`
      + ` · ${p.hops} hop${p.hops === 1 ? '' : 's'}${p.viaTrust ? ' · through a trust' : ''}  `, `   ${chainText(p)}${p.drawn ? '' : ' _(steps not in the graph any more)_'}`);
  });
  L.push('');
}

export function aiAgentsMarkdown(m: ReportModel, L: string[]): void {
  const a = m.aiAgents;
  L.push('## AI agents with access', '', `_${md(AGENTS_LEAD, 1000)}_`, '');
  const perms = (ps: AgentPermission[], none: string) => (ps.length ? md(ps.slice(0, AGENT_PERMISSIONS).map(permText).join('; ') + (ps.length > AGENT_PERMISSIONS ? `; and ${ps.length - AGENT_PERMISSIONS} more` : ''), TEXT_MAX) : none);
  if (!a.agents.length) L.push(md(agentsEmpty(m), TEXT_MAX), '');
  else {
    L.push('| Agent | Category (how known) | Can read | Can change | Reach | Approved by | Findings |', '|---|---|---|---|---|---|---|');
    for (const x of a.agents) {
      L.push(`| ${md(x.name)} (${md(x.provider)} ${md(x.typeLabel)}) | ${md(x.category)} — ${md(x.how, TEXT_MAX)} | ${perms(x.reads, 'nothing recorded')} | ${perms(x.changes, 'nothing')} | `
        + `${x.reach ? md(x.reach, TEXT_MAX) : '—'} | ${x.approval ? `${md(x.approval.entry)}${x.approval.owners.length ? ` (${x.approval.owners.map((o) => md(o)).join(', ')})` : ''}${x.approval.ticket ? `, ticket ${md(x.approval.ticket)}` : ''}` : a.reconciled ? '**not approved**' : 'unknown'} | `
        + `${x.findings.length ? x.findings.slice(0, AGENT_FINDINGS).map((f) => `${f.severity}: ${md(f.title, TEXT_MAX)}`).join('<br>') + (x.findings.length > AGENT_FINDINGS ? `<br>and ${x.findings.length - AGENT_FINDINGS} more` : '') : 'none'} |`);
    }
    L.push('');
  }
  if (a.personalCredentials.length) {
    L.push('### Personal credentials that look used by an agent', '');
    L.push('| Severity | Credential | Provider | Owner | Finding |', '|---|---|---|---|---|');
    for (const c of a.personalCredentials) L.push(`| ${c.severity} | ${md(c.subject)} | ${md(c.provider)} | ${md(c.owner ?? 'none known')} | ${md(c.title, TEXT_MAX)} |`);
    L.push('');
  }
}
