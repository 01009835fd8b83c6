// Inventory `name_pattern` rules run on RE2 (re2js, pure JavaScript): matching takes time linear in the
// name whatever the pattern, so a pattern such as `^(a+)+$` cannot hang a reconciliation on a hostile
// connector name. Syntax RE2 cannot run in linear time (backreferences, lookaround) is refused when the
// inventory is validated; patterns and the names they are tried on are length-capped.
import { RE2JS } from 're2js';

/** Longest pattern an inventory may hold. */
export const MAX_PATTERN_LENGTH = 500;
/** Names longer than this are never matched by a pattern (they stay unapproved: the safe side). */
export const MAX_PATTERN_INPUT = 1024;

export interface NamePattern { test(name: string): boolean }

/** Compiles a pattern (JavaScript regular-expression syntax, case-insensitive); throws with the reason. */
export function compileNamePattern(pattern: string): NamePattern {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`must be at most ${MAX_PATTERN_LENGTH} characters (got ${pattern.length})`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(pattern), RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    throw new Error(`not a valid regular expression for the linear-time engine (RE2: no backreferences or lookaround): ${(err as Error).message}`);
  }
  return { test: (name) => name.length <= MAX_PATTERN_INPUT && re.test(name) };
}

/** The reason a pattern is refused, or null when it compiles. */
export function namePatternProblem(pattern: string): string | null {
  try { compileNamePattern(pattern); return null; } catch (err) { return (err as Error).message; }
}
