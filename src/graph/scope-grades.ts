// The risk grade of every scope node (table scope_grades, the `risk` of the grants view): the catalogue's grade of
// the scope's name in its provider (docs/risk-catalogue.md §5), the same grade the reconciler uses, and whether it
// changes what a repository's workflows run (controls_workloads, the `paths` view's CONTROLS). The graph writer
// grades each scope node it writes, and a new writer first re-grades every scope node whose stored grade differs from
// the catalogue's (databases from before migration 012 or 023, scopes replayed from a 304, a catalogue that changed
// since) — grades are derived data, so this never touches the nodes or their history.
import { gradeScope } from '../catalogue/index.ts';
import { workloadControlScope } from '../catalogue/privileged-roles.ts';
import type { Db } from './db.ts';
import { sqlFor } from './dialect.ts';

interface GradeRow { risk: string | null; reason: string | null; source: string | null; known: number | null; controls_workloads: number | null }

export class ScopeGrades {
  private readonly graded = new Set<string>();
  private readonly s;

  constructor(private readonly db: Db, private readonly now: () => string) {
    this.s = {
      upsert: db.prepare(`INSERT INTO scope_grades (scope_id, provider, risk, reason, source, known, controls_workloads, graded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT(scope_id) DO UPDATE SET provider = excluded.provider, risk = excluded.risk, reason = excluded.reason,
            source = excluded.source, known = excluded.known, controls_workloads = excluded.controls_workloads, graded_at = excluded.graded_at
          ${sqlFor(db, {
            sqlite: `WHERE risk IS NOT excluded.risk OR reason IS NOT excluded.reason OR source IS NOT excluded.source
            OR known IS NOT excluded.known OR provider IS NOT excluded.provider OR controls_workloads IS NOT excluded.controls_workloads`,
            postgres: `WHERE scope_grades.risk IS DISTINCT FROM excluded.risk OR scope_grades.reason IS DISTINCT FROM excluded.reason
            OR scope_grades.source IS DISTINCT FROM excluded.source OR scope_grades.known IS DISTINCT FROM excluded.known
            OR scope_grades.provider IS DISTINCT FROM excluded.provider
            OR scope_grades.controls_workloads IS DISTINCT FROM excluded.controls_workloads`,
          })}`),
      node: db.prepare<[string], { provider: string; name: string | null }>('SELECT provider, name FROM nodes WHERE id = ?'),
      all: db.prepare<[], { id: string; provider: string; name: string | null } & GradeRow>(`SELECT n.id, n.provider, n.name,
          g.risk, g.reason, g.source, g.known, g.controls_workloads FROM nodes n LEFT JOIN scope_grades g ON g.scope_id = n.id WHERE n.kind = 'scope'`),
    };
  }

  /** Grades a scope node just written (once per writer). */
  grade(id: string): void {
    if (this.graded.has(id)) return;
    this.graded.add(id);
    const n = this.s.node.get(id);
    if (!n) return;
    const g = gradeOf(n.provider, id, n.name);
    this.s.upsert.run(id, n.provider, g.risk, g.reason, g.source, g.known, g.controls_workloads, this.now());
  }

  /** The transaction the grades were written in was rolled back: grade every scope again when written next. */
  forget(): void {
    this.graded.clear();
  }

  /** Re-grades every scope node whose stored grade is missing or no longer the catalogue's; returns how many changed. */
  refreshAll(): number {
    return this.db.transaction(() => {
      let changed = 0;
      for (const r of this.s.all.all()) {
        this.graded.add(r.id);
        const g = gradeOf(r.provider, r.id, r.name);
        if (r.risk === g.risk && r.reason === g.reason && r.source === g.source && r.known === g.known && r.controls_workloads === g.controls_workloads) continue;
        this.s.upsert.run(r.id, r.provider, g.risk, g.reason, g.source, g.known, g.controls_workloads, this.now());
        changed++;
      }
      return changed;
    })();
  }
}

/** The catalogue's grade of a scope node (by its name; a node without one by the native id in its node id). */
function gradeOf(provider: string, id: string, name: string | null): { risk: string; reason: string; source: string; known: number; controls_workloads: number | null } {
  const scope = name ?? id.split(':').slice(2).join(':');
  const g = gradeScope(provider, scope);
  const control = workloadControlScope(provider, [scope]); // undefined: the catalogue keeps no list
  return { risk: g.severity, reason: g.reason, source: g.source, known: g.known ? 1 : 0, controls_workloads: control === undefined ? null : control === null ? 0 : 1 };
}
