// The graph's query surface: the views the migrations create (docs/graph.md), named once for help texts and
// the interactive query prompt. test/graph/views.test.ts checks this list against a freshly migrated database,
// so a migration that adds or drops a view cannot leave `query --help` behind.
export const GRAPH_VIEWS = [
  'connectors', 'credentials', 'grants', 'owners', 'principals', 'reach', 'forwards', 'changes', 'run_ledger',
  'current_findings', 'approvals', 'persons', 'inventory_owners', 'inventory_entries', 'trusts', 'paths',
] as const;

/** The views and tables of an open database, by kind (what `.tables` lists). */
export const LIST_RELATIONS_SQL = `SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name`;

/** The statement that created one view or table (what `.schema NAME` prints). */
export const RELATION_SCHEMA_SQL = `SELECT sql FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')`;
