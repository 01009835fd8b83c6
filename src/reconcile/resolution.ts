// When an open finding that was not raised again may be called resolved (docs/reconcile.md "Absence"). The default:
// its subject is gone (removed by a complete listing), or every provider it depends on was listed completely. Rules
// that need positive evidence as well (resolvable in their spec) combine it with their own test.
import type { OpenFindingKey } from '../graph/findings.ts';
import type { RuleContext } from './context.ts';

export function lookedCompletely(ctx: RuleContext, f: OpenFindingKey): boolean {
  if (f.subject_removed) return true;
  const deps = JSON.parse(f.depends_on) as string[];
  return deps.every((p) => ctx.crawlComplete(p, p === f.provider ? f.tenant : null));
}
