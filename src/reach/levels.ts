// How much each reach step lets through (docs/blast-radius.md "Levels and the weakest link"): a level per hop —
// 1 read, 2 write, 3 admin (or a pinned trust), 4 acts as (the next identity entirely) — and the privilege at a
// path's end as the risk catalogue grades it. Roles and scopes are graded by the catalogue (src/catalogue), never by
// name here: a grade of critical counts as admin, high as write, anything else as read.
import { gradeScope, SEVERITIES, worse, type Severity } from '../catalogue/index.ts';
import type { PathStep } from '../graph/paths-queries.ts';

export const LEVEL_NAMES = ['none', 'read', 'write', 'admin', 'acts as'] as const;
/** The level from which a hop into a repository controls its workflows (and so crosses a trust). */
export const WRITE = 2;

const isSeverity = (v: unknown): v is Severity => typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
const levelOf = (s: Severity): number => (s === 'critical' ? 3 : s === 'high' ? 2 : 1);

/** The catalogue's grade of a role, remembered (a walk over a whole graph grades the same few roles millions of times). */
const roleGrades = new Map<string, Severity>();
function roleGrade(provider: string, role: string): Severity {
  const k = `${provider}\u0000${role}`;
  let g = roleGrades.get(k);
  if (g === undefined) { g = gradeScope(provider, role).severity; if (roleGrades.size > 100_000) roleGrades.clear(); roleGrades.set(k, g); }
  return g;
}

/** The role names a CAN_ACCESS step carries (props.roles), if any. */
export function rolesOf(s: PathStep): string[] {
  const r = s.props.roles;
  return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
}

/** The catalogue's grade of what the step's end holds: the worst of its roles, its scope, its access; null: nothing graded. */
export function endGrade(s: PathStep): Severity | null {
  switch (s.step) {
    case 'HAS_SCOPE': return isSeverity(s.access) ? s.access : null;
    case 'CONTROLS': return isSeverity(s.props.risk) ? s.props.risk : 'high';
    case 'CAN_ACCESS': {
      const roles = rolesOf(s);
      if (roles.length) return roles.map((r) => roleGrade(s.provider, r)).reduce(worse);
      const a = s.props.access;
      return a === 'admin' ? 'critical' : a === 'write' ? 'high' : a === 'read' ? 'low' : null;
    }
    default: return null;
  }
}

/** How much the hop lets through, 1 (read) to 4 (acts as the next identity). */
export function stepLevel(s: PathStep): number {
  return levelGiven(s, endGrade(s));
}

/** The step's end grade and level together, the grade computed once (the memory graph grades every step so). */
export function gradeAndLevel(s: PathStep): { grade: Severity | null; level: number } {
  const grade = endGrade(s);
  return { grade, level: levelGiven(s, grade) };
}

/** The step's level, its end's grade (endGrade) given. */
function levelGiven(s: PathStep, grade: Severity | null): number {
  switch (s.step) {
    case 'OWNS': case 'HAS_CREDENTIAL': case 'CREDENTIAL_OF': case 'MINTS': return 4;
    case 'TRUSTED_BY': return s.props.breadth === 'pinned' ? 3 : 4;
    case 'HAS_SCOPE': case 'CONTROLS': return grade ? levelOf(grade) : 1;
    case 'CAN_ACCESS': {
      if (rolesOf(s).length) return levelOf(grade!);
      const a = s.props.access;
      return a === 'admin' ? 3 : a === 'write' ? 2 : 1;
    }
    default: return 1;
  }
}
