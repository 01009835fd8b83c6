// The ordered list of schema migrations. Append new ones; never reorder or edit released ones.
import * as m001 from './001-init.ts';
import * as m002 from './002-views.ts';
import * as m003 from './003-findings.ts';
import * as m004 from './004-identity.ts';
// 004 belongs to the reconciler; keep this list in id order (db.ts takes the last id as the schema version).
import * as m005 from './005-reports.ts';
// 006: scheduled operation (lock, pipeline ledger, alert deliveries).
import * as m006 from './006-operations.ts';
// 007: the inventory stored once per version, not per reconciliation.
import * as m007 from './007-inventory-versions.ts';
// 008: the evaluation time ("now") of each reconciliation.
import * as m008 from './008-evaluation-time.ts';
// 009: crawl state URLs relative to the base they were issued for; informational ledger notes (run_resources.notes).
import * as m009 from './009-base-relative-state.ts';
// 010: the forwards view separates chat channels (channel, channel_id) from network hosts (host).
import * as m010 from './010-forward-channels.ts';
// 011: not_applicable in the run ledger, what each listing can produce for matching, not-verifiable checks (issue 14).
import * as m011 from './011-coverage-status.ts';
// 012: grants.risk from the risk catalogue (scope_grades); changes names edges `<from> <TYPE> <to>` (issue 15).
import * as m012 from './012-grant-risk.ts';
// 013: accepted risks and subsumed findings (findings.status 'accepted' / 'subsumed'; per-observation status) (issue 15).
import * as m013 from './013-accepted-subsumed.ts';
// 014: findings.attribution — who must act (active recipients in order, departed people as context) (issue 15).
import * as m014 from './014-finding-attribution.ts';
// 015: the inventory policy (organisation, defaults) per inventory version; the database's identity for report manifests.
import * as m015 from './015-inventory-policy.ts';
// 016: props_hash on nodes and edges: set-wise upserts rewrite and read back only changed rows (issue 16).
import * as m016 from './016-props-hash.ts';
// 017: findings.content_hash: an unchanged finding is not rewritten, only observed (issue 16).
import * as m017 from './017-finding-content-hash.ts';
// 018: unit map, revisit times, principal digests and the basis an incremental reconciliation checks (issue 16).
import * as m018 from './018-reconcile-units.ts';
// 019: nodes/edges.changed_run: the run that last changed a row (observation props included), for incremental reconcile.
import * as m019 from './019-changed-run.ts';
// 020: crawl_jobs, the queue of distributed crawl work (worker, run --distributed; issue 18).
import * as m020 from './020-crawl-jobs.ts';
// 021: the trusts view: TRUSTS edges resolved to the repositories they admit, held by connectors (issue 19).
import * as m021 from './021-trusts-view.ts';
// 022: the paths view (one-hop reach steps) and per-connector reach summaries (issue 19).
import * as m022 from './022-reach-paths.ts';
// 023: one notion of write (scope_grades.controls_workloads) and the same-application step in the paths view (issue 19).
import * as m023 from './023-reach-unified.ts';
// 024: the trusts view matches workload keys read once (a join, not a json_each per TRUSTS edge and repository).
import * as m024 from './024-trusts-view-keys.ts';

export interface Migration { id: number; name: string; sql: string }
export const migrations: Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014, m015, m016, m017, m018, m019, m020, m021, m022, m023, m024];
