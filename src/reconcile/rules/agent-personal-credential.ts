// A credential a person holds (a personal access token, an SSO-authorised token or key: HAS_CREDENTIAL from a principal,
// held by no connector) whose own label says an AI agent uses it: a whole word of AGENT_WORDS in its token name, title,
// name, note or description (src/categories/words.ts: "agent" matches "mcp-agent" and "AgentToken", never "magenta" or
// "management"). An agent acting with a person's token acts with all of that person's access, outside any review of the
// agent; so it is flagged for review, never guessed silently: the evidence names the field and the word that matched.
// Low; medium when the credential holds a permission graded high or critical.
import { atLeast } from '../../catalogue/index.ts';
import { credentialClass } from '../../catalogue/credentials.ts';
import { firstWordIn } from '../../categories/words.ts';
import { defineRule, type RuleResult } from '../rule.ts';
import { capList, worstFirst } from '../title-facts.ts';
import { ownersFor, subjectOf } from './util.ts';

/** The words that say an agent uses a credential (docs/reconcile.md "Rules"), compared as whole lower-case words. */
export const AGENT_WORDS: ReadonlySet<string> = new Set(['mcp', 'agent', 'agents', 'agentic', 'copilot', 'claude', 'cursor', 'gpt', 'chatgpt',
  'openai', 'anthropic', 'llm', 'codex', 'gemini', 'windsurf']);

/** The credential props that are its own label (set by the person who created it), in the order they are read. */
export const LABEL_FIELDS = ['token_name', 'title', 'name', 'note', 'description'] as const;

const REFERENCES = ['OWASP LLM06:2025 Excessive Agency', 'NIST AI RMF GOVERN 1.6'];

export const agentPersonalCredential = defineRule({
  id: 'agent-personal-credential', family: 'ai-agents', severity: 'low',
  owasp: ['NHI5:2025', 'NHI9:2025'], nist: ['PR.AA-01', 'PR.AA-05'], references: REFERENCES,
  description: 'A credential a person holds whose token name, title, note or description names an AI agent (MCP, agent, Copilot, Claude, Cursor, GPT…): an agent acting with a person\'s access (low; medium with a high or critical permission).',
  remediation: 'Ask its owner what uses it; give the agent its own identity (an app installation, a service account or an app registration) with narrow permissions, then revoke the personal token.',
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const cred of ctx.snap.credentials) {
      if (cred.props.enabled === false) continue;
      const holders = ctx.snap.holdersOf.get(cred.id) ?? [];
      const people = holders.filter((h) => ctx.snap.principals.has(h));
      if (!people.length || holders.some((h) => ctx.node(h)?.kind === 'connector')) continue;
      const matches: Array<{ field: string; word: string; value: string }> = [];
      for (const field of LABEL_FIELDS) {
        const v = cred.props[field];
        if (typeof v !== 'string' || !v) continue;
        const word = firstWordIn(v, AGENT_WORDS);
        if (word) matches.push({ field, word, value: v.slice(0, 200) });
      }
      if (!matches.length) continue;
      const scopes = worstFirst(ctx, cred.provider, ctx.scopes(cred.id));
      const worst = ctx.worstGrade(cred.provider, scopes);
      const owner = ctx.node(people[0]!)?.name ?? people[0]!;
      const first = matches[0]!;
      const { label } = credentialClass(cred.props.credential_type as string | undefined, cred.props);
      out.push({
        subject: subjectOf(cred), severity: worst && atLeast(worst, 'high') ? 'medium' : 'low',
        title: `${owner}'s ${label} "${first.value}" looks used by an AI agent: its ${first.field.replace(/_/g, ' ')} has the word "${first.word}"${scopes.length ? ` (holds ${capList(scopes)})` : ''}`,
        evidence: { field: first.field, word: first.word, value: first.value, matches, owner, holders: people, credential_type: cred.props.credential_type ?? null,
          scopes, worst_scope_severity: worst, words: [...AGENT_WORDS], references: REFERENCES },
        owners: ownersFor(ctx, cred.id),
      });
    }
    return out;
  },
});
