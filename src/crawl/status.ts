// The status algebra of the run ledger, one for every provider (docs/graph.md "Coverage"): how each
// listing ended, how a resource type's listings in one tenant add up to its status, and which statuses
// count as a complete look (the only ones absence — removed, not found, resolved — may be inferred from).
// Pure functions: the engine tallies listings, this module decides.

/** How one listing ended, and a resource type's status per tenant (the worst of its listings). */
export type CoverageStatus = 'complete' | 'partial' | 'failed' | 'unsupported' | 'not_applicable';

/** Worst first: failed > partial > unsupported > not_applicable > complete. */
export const STATUS_ORDER: readonly CoverageStatus[] = ['failed', 'partial', 'unsupported', 'not_applicable', 'complete'];

/** The worse of two statuses. */
export function worseStatus(a: CoverageStatus, b: CoverageStatus): CoverageStatus {
  return STATUS_ORDER.indexOf(a) <= STATUS_ORDER.indexOf(b) ? a : b;
}

/**
 * A status that looked at everything there is: `complete`, or `not_applicable` (the plan or edition does not
 * have the feature, so nothing of it can exist). `unsupported` is a blind spot: the objects may exist, the
 * credential just cannot see them.
 */
export function isCompleteLook(status: string | null | undefined): boolean {
  return status === 'complete' || status === 'not_applicable';
}

/** What one resource type's listings in one tenant came to. Fan-out children that never ran because their parent
 * failed / was unsupported / was not applicable are counted here too (rolled up from the parent). */
export interface ListingTally {
  /** Listings that finished with everything they were asked for. */
  complete: number;
  /** Listings that finished but cannot vouch for what they returned (e.g. duplicate ids). */
  partial: number;
  failed: number;
  unsupported: number;
  notApplicable: number;
  /** The crawl was interrupted before this resource type was fully listed. */
  interrupted?: boolean;
}

/**
 * A resource type's status per tenant: the worst of its listings, except that failed listings among
 * listings that returned their objects make it `partial` (what was listed is written; nothing is removed
 * where a listing failed) — `failed` means nothing of it was listed. No listing at all (a fan-out child whose
 * parent had no items) is complete. Never complete when any listing failed, was refused or was cut short.
 */
export function resourceStatus(t: ListingTally): CoverageStatus {
  const listed = t.complete + t.partial;
  if (t.failed > 0) return listed > 0 ? 'partial' : 'failed';
  if (t.partial > 0) return 'partial';
  if (t.interrupted) {
    if (listed > 0) return 'partial';
    return t.unsupported > 0 ? 'unsupported' : t.notApplicable > 0 ? 'not_applicable' : 'failed';
  }
  if (t.unsupported > 0) return 'unsupported';
  if (t.notApplicable > 0) return 'not_applicable';
  return 'complete';
}

/**
 * The ledger's explanation of an unsupported / not-applicable status: the distinct reasons (they name the
 * permission to grant, or the plan that has the feature), with how many listings they cover when others did complete.
 */
export function reasonText(reasons: readonly string[], total: number): string {
  const distinct = [...new Set(reasons)];
  if (!distinct.length) return '';
  const share = reasons.length < total ? `${reasons.length} of ${total} listings: ` : '';
  return share + distinct.join('; ');
}
