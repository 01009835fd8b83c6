// `nhi-census paths --from X | --to X`: what a connector, credential, person or vendor can reach, or who can reach a
// resource, breadth-first over the `paths` view (docs/blast-radius.md) — rows (table, CSV, JSON) or a picture
// (Graphviz DOT, Mermaid). Read-only; exit 0, 2 (bad options, or a --from/--to that names nothing), 7 (no database).
import { Option, type Command } from 'commander';
import { InputError } from '../config/yaml-errors.ts';
import { openDb, type Db } from '../graph/db.ts';
import { resolveTerm, type NodeRef } from '../graph/paths-queries.ts';
import { dbStepSource } from '../reach/db-source.ts';
import { DEFAULT_DEPTH } from '../reach/summaries.ts';
import { toDot, toMermaid } from '../reach/picture.ts';
import { describePath, reachFrom, reachTo, type ReachPath } from '../reach/walk.ts';
import { out } from './common.ts';
import { renderRows, type OutputFormat } from './format.ts';
import { choiceOption, dbOption, wholeNumber } from './options.ts';

const MAX_STARTS = 200;

interface PathsOptions { db: string; from?: string; to?: string; depth: number; limit: number; format: 'table' | 'csv' | 'json' | 'dot' | 'mermaid' }

export function registerPaths(program: Command): void {
  program.command('paths')
    .description('what a connector, credential, person or vendor can reach (--from), or who can reach a resource (--to), across providers')
    .addOption(new Option('--from <id|name|vendor|email>', 'start here: a node id or name, a vendor (its connectors), or a person\'s email (their accounts)').conflicts('to'))
    .addOption(new Option('--to <id|name>', 'end here: who can reach this node (a node id or name)'))
    .option('--depth <n>', 'at most this many hops', wholeNumber(1, 50), DEFAULT_DEPTH)
    .option('--limit <n>', 'at most this many rows (pictures: paths)', wholeNumber(1), 200)
    .addOption(choiceOption('-f, --format <format>', 'table | csv | json | dot (Graphviz) | mermaid', ['table', 'csv', 'json', 'dot', 'mermaid'], 'table'))
    .addOption(dbOption(undefined, 'nhi-census.db'))
    .addHelpText('after', `
Steps: OWNS, HAS_CREDENTIAL, CREDENTIAL_OF, CAN_ACCESS, HAS_SCOPE, CONTROLS (a write-class scope on a repository it
can access), MINTS (a repository's workloads) and TRUSTED_BY (an identity that accepts that workload's tokens);
read access alone never crosses a trust. Each row: the path, its hops, where it ends, the access and grade there,
and the weakest link (the hop with the narrowest access). See docs/blast-radius.md.

Examples:
  nhi-census paths --from "deployhub-pro"                       what this connector can reach
  nhi-census paths --from "Acme Corp"                           what every connector Acme publishes can reach
  nhi-census paths --from alice@example.com --format csv        what Alice's accounts (and what they own) reach
  nhi-census paths --to "Production" --depth 4                  who can reach the resource named Production
  nhi-census paths --from deployhub --format dot | dot -Tsvg > reach.svg

Exit codes: 0 ok (also when nothing is reachable), 2 bad options or a --from/--to that names no node, 7 no usable database.`)
    .action((opts: PathsOptions) => {
      if ((opts.from === undefined) === (opts.to === undefined)) throw new InputError('paths: give --from <node> (what it can reach) or --to <node> (who can reach it)');
      const db = openDb(opts.db, { readonly: true, postgres: true });
      try {
        out(renderPaths(findPaths(db, opts), opts.format));
      } finally {
        db.close();
      }
    });
}

/** The paths a --from or --to asks for (InputError when the term names nothing). */
export function findPaths(db: Db, opts: { from?: string; to?: string; depth: number; limit: number }): ReachPath[] {
  const term = (opts.from ?? opts.to)!;
  const flag = opts.from !== undefined ? '--from' : '--to';
  const { nodes, matched } = resolveTerm(db, term);
  if (!matched) throw new InputError(`paths: ${flag} ${JSON.stringify(term)} names no node (give a node id, a name, a vendor or a person's email; list them with nhi-census query "select id, name from connectors")`);
  if (!nodes.length) return []; // a vendor with no live connectors, a person with no accounts left
  if (nodes.length > MAX_STARTS) throw new InputError(`paths: ${flag} ${JSON.stringify(term)} names ${nodes.length} nodes (at most ${MAX_STARTS}): give a node id`);
  const starts: NodeRef[] = nodes;
  return opts.from !== undefined
    ? reachFrom(dbStepSource(db), starts, { depth: opts.depth, limit: opts.limit })
    : reachTo(dbStepSource(db), starts, { depth: opts.depth, limit: opts.limit });
}

/** Rows or a picture of the paths. */
export function renderPaths(paths: ReachPath[], format: PathsOptions['format']): string {
  if (format === 'dot') return toDot(paths);
  if (format === 'mermaid') return toMermaid(paths);
  const json = format === 'json';
  const rows = paths.map((p) => {
    const d = describePath(p);
    return {
      from: p.origin.name ?? p.origin.id, to: p.target.name ?? p.target.id, to_kind: p.target.kind, hops: p.hops.length,
      access: d.access, privilege: d.privilege, weakest_link: d.weakest,
      path: json ? p.hops.map((h) => ({ from_id: h.from_id, from_name: h.from_name, step: h.step, to_id: h.to_id, to_name: h.to_name, access: h.access, level: h.level }))
        : [p.hops[0]?.from_name ?? p.origin.id, ...p.hops.map((h) => `-[${h.step}]-> ${h.to_name ?? h.to_id}`)].join(' '),
      ...(json ? { from_id: p.origin.id, to_id: p.target.id } : {}),
    };
  });
  return renderRows(rows, format as OutputFormat);
}
