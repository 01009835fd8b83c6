// Command-line option values, checked when commander parses them — before a command opens, creates or
// writes anything — so a bad value is exit 2 with nothing written. Each parser throws commander's
// InvalidArgumentError, which names the option; main() maps it to EXIT.INPUT.
import { InvalidArgumentError, Option } from 'commander';
import { InputError } from '../config/yaml-errors.ts';
import { parseEvaluationTime } from '../reconcile/evaluation-time.ts';

/** A whole number in [min, max] (decimal digits only: no '1e3', '0x10', '', ' 5'). */
export function wholeNumber(min = 0, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v) => {
    const n = /^\d{1,15}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`It must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : min > 0 ? ` of at least ${min}` : ''}.`);
    }
    return n;
  };
}

/** A number of seconds, zero or more (e.g. 0, 30, 2.5). */
export function seconds(v: string): number {
  if (!/^\d{1,9}(\.\d{1,3})?$/.test(v)) throw new InvalidArgumentError('It must be a number of seconds (0 or more).');
  return Number(v);
}

/** `--now`: a real ISO 8601 date or date-time with a zone (src/reconcile/evaluation-time.ts). */
export function isoTime(v: string): Date {
  try { return parseEvaluationTime(v); } catch (err) {
    if (err instanceof InputError) throw new InvalidArgumentError(`It ${err.message.replace(/^--now /, '')}.`);
    throw err;
  }
}

/** An option whose value must be one of `values` (commander lists them on error). */
export function choiceOption(flags: string, description: string, values: readonly string[], defaultValue?: string): Option {
  const o = new Option(flags, description).choices(values);
  return defaultValue === undefined ? o : o.default(defaultValue);
}

/** `-p, --provider <name...>` on every command that takes providers: repeatable, each value may be a comma list. */
export function providerOption(description = 'only these providers (default: all configured); repeat -p or give a comma list'): Option {
  return new Option('-p, --provider <name...>', description).argParser(providerList);
}

/** `--tenant`: only these tenant ids of the selected providers (src/crawl/targets.ts; e.g. a GitHub org, an Azure tenant id). */
export function tenantOption(): Option {
  return new Option('--tenant <id...>', 'only these tenants of the selected providers (an organisation, directory tenant, domain or workspace id, as the provider names it; default: all configured); repeat or give a comma list')
    .argParser(tenantList);
}

function tenantList(value: string, previous: string[] | undefined): string[] {
  const ids = value.split(',').map((n) => n.trim());
  if (ids.some((n) => n === '')) throw new InvalidArgumentError('A tenant id is empty (give ids separated by commas, e.g. --tenant first,second).');
  return [...(previous ?? []), ...ids.filter((n) => !(previous ?? []).includes(n))];
}

/** Accumulates provider names: `-p github,slack -p azure` and `-p github slack` are both [github, slack(, azure)]. */
export function providerList(value: string, previous: string[] | undefined): string[] {
  const names = value.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) throw new InvalidArgumentError('A provider name is empty (give names separated by commas, e.g. -p first,second).');
  return [...(previous ?? []), ...names.filter((n) => !(previous ?? []).includes(n))];
}

/**
 * `--db`: the graph — a SQLite file or a PostgreSQL URL (postgres://…; TLS through sslmode) — on every command that
 * opens one. Precedence: the option, then NHI_CENSUS_DATABASE_URL, then the config file's `database:` (commands that
 * read one: `defaultValue` undefined), then `defaultValue`.
 */
export function dbOption(description = 'the graph: a SQLite file or a postgres://… URL (env NHI_CENSUS_DATABASE_URL)', defaultValue?: string): Option {
  const o = new Option('--db <file|url>', description).env('NHI_CENSUS_DATABASE_URL');
  return defaultValue === undefined ? o : o.default(defaultValue);
}
