// Who gave admin (tenant-wide) consent to a service principal, and when. Graph's grant objects do not say;
// the directory audit log does, in 'Consent to application' events (GET /auditLogs/directoryAudits,
// AuditLog.Read.All): the initiating user, the time, and the target service principal, with
// ConsentContext.IsAdminConsent. The log keeps 7 days (Free) or 30 (P1/P2), so what was learnt is kept in
// the crawl state ('admin_consents', written only when the service-principal listing completes) and a
// consent stays known after its event has aged out. A full crawl reads `consentLookbackDays`; an incremental
// one reads from the last crawl (less a day of overlap: events arrive late). A user's own consent is not
// taken from here: the delegated grant already names that user.
// https://learn.microsoft.com/graph/api/directoryaudit-list
import type { DirectoryAudit } from '@microsoft/microsoft-graph-types';
import type { ListContext } from '../../src/crawl/resource.ts';
import type { AzureClient } from './client.ts';
import { fieldsOf, partitionWellFormed, type SkippedItem } from '../../src/crawl/malformed-item.ts';
import { ids } from './map-helpers.ts';

export interface AdminConsent { userId: string; upn: string | null; at: string }
/** service-principal object id -> who consented for the whole tenant (latest consent per user). */
export type ConsentsBySp = Map<string, AdminConsent[]>;

const STATE = 'admin_consents';
const WATERMARK = 'admin_consents.watermark';
const OVERLAP_MS = 86_400_000;

/**
 * The audit events shaped as Graph documents the fields read here; the others are named (the consent-audit
 * listing reports them and is partial; nobody's consent is read from them).
 */
export function checkAuditEvents(events: DirectoryAudit[]): { wellFormed: DirectoryAudit[]; malformed: SkippedItem[] } {
  return partitionWellFormed(events, (e) => {
    const f = fieldsOf(e, 'directoryAudits[]');
    for (const field of ['activityDisplayName', 'result', 'activityDateTime', 'initiatedBy.user.id', 'initiatedBy.user.userPrincipalName']) f.optionalString(field);
    f.optionalObject('initiatedBy');
    for (const t of f.list('targetResources')) {
      const tf = fieldsOf(t, 'directoryAudits[].targetResources[]', 'id', f.id);
      tf.optionalString('type');
      tf.optionalString('id');
      for (const p of tf.list('modifiedProperties')) {
        const pf = fieldsOf(p, 'directoryAudits[].targetResources[].modifiedProperties[]', 'displayName', f.id);
        pf.optionalString('displayName');
        pf.optionalString('newValue');
      }
    }
  });
}

/** The admin consents in a page of audit events (failed ones, user consents, app-initiated and malformed ones are skipped). */
export function adminConsentsIn(events: DirectoryAudit[]): ConsentsBySp {
  const out: ConsentsBySp = new Map();
  for (const e of checkAuditEvents(events).wellFormed) {
    const user = e.initiatedBy?.user;
    if (e.activityDisplayName !== 'Consent to application' || e.result !== 'success' || !user?.id || !e.activityDateTime) continue;
    for (const t of e.targetResources ?? []) {
      if (t.type !== 'ServicePrincipal' || !t.id) continue;
      const admin = (t.modifiedProperties ?? []).find((p) => p.displayName === 'ConsentContext.IsAdminConsent')?.newValue;
      if (!/true/i.test(admin ?? '')) continue;
      merge(out, t.id, { userId: user.id, upn: user.userPrincipalName ?? null, at: e.activityDateTime });
    }
  }
  return out;
}

/** Adds a consent (or a newer one by the same admin); false when it was already known. */
function merge(into: ConsentsBySp, spId: string, c: AdminConsent): boolean {
  const list = into.get(spId) ?? [];
  into.set(spId, list);
  const same = list.find((x) => x.userId === c.userId);
  if (!same) { list.push({ ...c }); return true; }
  if (same.at < c.at) { Object.assign(same, c); return true; }
  return false;
}

export interface ConsentLedger {
  /** Known admin consents (stored and new); `known` is false when the audit log could not be read this run. */
  bySp: ConsentsBySp;
  known: boolean;
  /** Service principals with a consent this read learnt: an incremental crawl re-reads them (new permissions). */
  learnt: Set<string>;
  /** Records what is known of the service principals still present (`present`: every object id listed, or null in a
   *  delta round; `removedNodeIds`: the node ids a delta round removed). */
  save(present: Set<string> | null, removedNodeIds: string[]): void;
}

/** Where this crawl's read of the audit log starts (the client reads it once; the first caller's window stands). */
export function consentWindowStart(ctx: ListContext<AzureClient, any>): string {
  const watermark = ctx.state.get(WATERMARK);
  return ctx.mode === 'incremental' && watermark
    ? new Date(Date.parse(watermark) - OVERLAP_MS).toISOString()
    : new Date(Date.now() - ctx.client.cfg.consentLookbackDays * 86_400_000).toISOString();
}

/** Reads the consents since the last crawl (a failed read keeps what was stored: nothing is forgotten). */
export async function adminConsents(ctx: ListContext<AzureClient, any>): Promise<ConsentLedger> {
  const bySp: ConsentsBySp = new Map(Object.entries(JSON.parse(ctx.state.get(STATE) ?? '{}') as Record<string, AdminConsent[]>));
  const queriedAt = new Date().toISOString();
  let known = false;
  const learnt = new Set<string>();
  if (ctx.client.cfg.consentAudit) {
    try {
      for (const [spId, list] of adminConsentsIn(await ctx.client.consentEvents(consentWindowStart(ctx)))) {
        for (const c of list) if (merge(bySp, spId, c)) learnt.add(spId);
      }
      known = true;
    } catch (err) {
      // the azure.consent_audit listing reports why in the ledger; the service principals still list
      ctx.log.warn('directory audit log not read: admin consents known from earlier runs only', { error: (err as Error).message });
    }
  }
  return {
    bySp, known, learnt,
    save(present, removedNodeIds) {
      const removed = new Set(removedNodeIds);
      for (const id of [...bySp.keys()]) if (removed.has(ids.servicePrincipal(id))) bySp.delete(id);
      const kept = [...bySp].filter(([id]) => !present || present.has(id)).sort(([a], [b]) => a.localeCompare(b));
      ctx.state.set(STATE, kept.length ? JSON.stringify(Object.fromEntries(kept)) : null);
      if (known) ctx.state.set(WATERMARK, queriedAt);
    },
  };
}
