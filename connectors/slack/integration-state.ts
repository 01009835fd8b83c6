// Folds team.integrationLogs entries (events: added, removed, enabled, disabled, updated/expanded) into
// the integrations that exist now, with who installed each and when, and every scope granted since.
// Pure: the log in, the current integrations out. Entries carry no id; they are ordered by `date`.
// https://docs.slack.dev/reference/methods/team.integrationLogs
import type { TeamIntegrationLogsResponse } from '@slack/web-api';
import { redactSecrets } from '../../src/util/redact.ts';
import { SLACK_SECRET_PATTERNS } from './secret-patterns.ts';
import { splitScopes } from './map-helpers.ts';
import { fieldsOf, partitionWellFormed, type SkippedItem } from '../../src/crawl/malformed-item.ts';

export type LogEntry = NonNullable<TeamIntegrationLogsResponse['logs']>[number];

export interface Integration {
  kind: 'app' | 'service' | 'app_webhook';
  teamId: string;
  appId: string | null;
  /** Slack app name (the log's `app_type`) or legacy service name (`service_type`). */
  name: string;
  serviceId: string | null;
  serviceType: string | null;
  channel: string | null;
  enabled: boolean;
  installedBy: { id: string; name: string | null } | null;
  installedAt: string | null;
  updatedBy: { id: string; name: string | null } | null;
  updatedAt: string | null;
  scopes: string[];
  lastChange: string;
  /** Free text (approval reasons) with anything secret-shaped redacted. */
  reason: string | null;
  events: number;
}

const WEBHOOK_SCOPE = 'incoming-webhook';

type Tracked = Integration & { alive: boolean; scopeSet: Set<string> };

/** What a replay leaves behind for the next run's incremental replay (JSON, kept in crawl state). */
export interface SavedLog {
  /** Newest entry date replayed (epoch seconds). */
  watermark: number;
  /** Identities of the entries at the watermark second (entries have no id; a later page may repeat that second). */
  atWatermark: string[];
  integrations: Array<Omit<Tracked, 'scopeSet'>>;
}

/** The integrations alive after replaying `entries` (any order; sorted by date, oldest first). */
export function foldIntegrationLog(teamId: string, entries: LogEntry[]): Integration[] {
  return replayIntegrationLog(teamId, entries).live;
}

/** Entry identity: Slack gives none, so (date, app or service, user, change, scope). */
export function entryKey(e: LogEntry): string {
  return [e.date, e.app_id ?? `s${e.service_id ?? ''}`, e.user_id ?? '', e.change_type ?? '', e.scope ?? '', e.channel ?? ''].join('|');
}

/** Entries a replay on top of `prior` still needs (newer than its watermark, or at it and not yet seen). */
export function newerThan(prior: SavedLog | undefined, entries: LogEntry[]): LogEntry[] {
  if (!prior) return entries;
  const seen = new Set(prior.atWatermark);
  return entries.filter((e) => Number(e.date) > prior.watermark || (Number(e.date) === prior.watermark && !seen.has(entryKey(e))));
}

/** Replays `entries` on top of a previous replay's saved state: the integrations alive now, and the state to save. */
export function replayIntegrationLog(teamId: string, entries: LogEntry[], prior?: SavedLog): { live: Integration[]; saved: SavedLog } {
  const ordered = entries.map((e, i) => ({ e, i, t: Number(e.date ?? 0) }))
    // Slack lists newest first: within one second, the later index is the older event.
    .sort((a, b) => a.t - b.t || b.i - a.i).map((x) => x.e);
  const live = new Map<string, Tracked>();
  for (const it of prior?.integrations ?? []) live.set(trackKey(it), { ...it, scopeSet: new Set(it.scopes) });
  for (const e of ordered) {
    const change = (e.change_type ?? '').toLowerCase();
    const scopes = splitScopes(e.scope);
    const keys: Array<[string, Integration['kind']]> = [];
    if (e.app_id) {
      keys.push([`app:${e.app_id}`, 'app']);
      if (e.channel && (scopes.includes(WEBHOOK_SCOPE) || change === 'removed' || change === 'disabled')) keys.push([`hook:${e.app_id}:${e.channel}`, 'app_webhook']);
    } else if (e.service_id !== undefined && e.service_id !== null) {
      keys.push([`service:${e.service_id}`, 'service']);
    } else continue;
    for (const [key, kind] of keys) {
      let it = live.get(key);
      if (kind === 'app_webhook' && !it && !scopes.includes(WEBHOOK_SCOPE)) continue;
      const user = e.user_id ? { id: e.user_id, name: e.user_name ?? null } : null;
      const at = isoOf(e.date);
      if (!it || (!it.alive && (change === 'added' || change === 'enabled'))) {
        if (change === 'removed' || change === 'disabled') continue;
        it = { kind, teamId, appId: e.app_id ?? null, name: e.app_type ?? e.service_type ?? e.app_id ?? String(e.service_id),
          serviceId: e.service_id !== undefined ? String(e.service_id) : null, serviceType: e.service_type ?? null,
          channel: e.channel ?? null, enabled: true, installedBy: user, installedAt: at, updatedBy: null, updatedAt: null,
          scopes: [], scopeSet: new Set(), lastChange: change, reason: null, events: 0, alive: true };
        live.set(key, it);
      } else if (change === 'removed') {
        it.alive = false;
      } else if (change === 'disabled') {
        it.enabled = false;
      } else if (change === 'enabled') {
        it.enabled = true;
      }
      if (it.alive && change !== 'removed' && change !== 'disabled') {
        for (const s of kind === 'app_webhook' ? [WEBHOOK_SCOPE] : scopes) it.scopeSet.add(s);
        if (it.events > 0) { it.updatedBy = user ?? it.updatedBy; it.updatedAt = at ?? it.updatedAt; }
      }
      if (e.app_type) it.name = e.app_type;
      if (e.reason) it.reason = redactSecrets(e.reason, SLACK_SECRET_PATTERNS);
      it.lastChange = change;
      it.events++;
    }
  }
  // A webhook dies with its app, whether or not the app's removal entry names the channel.
  const appAlive = (id: string | null) => Boolean(id && live.get(`app:${id}`)?.alive);
  const liveNow = [...live.values()].filter((it) => it.alive && (it.kind !== 'app_webhook' || appAlive(it.appId)))
    .map(({ alive: _a, scopeSet, ...it }) => ({ ...it, scopes: [...scopeSet].sort() }));
  const newest = ordered.length ? Number(ordered[ordered.length - 1]!.date ?? 0) : prior?.watermark ?? 0;
  const watermark = Math.max(newest, prior?.watermark ?? 0);
  const atWatermark = [...(watermark === prior?.watermark ? prior.atWatermark : []),
    ...ordered.filter((e) => Number(e.date) === watermark).map(entryKey)];
  // Removed integrations are kept (alive: false) so a later entry about them replays the same way.
  const saved: SavedLog = { watermark, atWatermark, integrations: [...live.values()].map(({ scopeSet, ...it }) => ({ ...it, scopes: [...scopeSet].sort() })) };
  return { live: liveNow, saved };
}

function trackKey(it: Pick<Integration, 'kind' | 'appId' | 'serviceId' | 'channel'>): string {
  return it.kind === 'app' ? `app:${it.appId}` : it.kind === 'app_webhook' ? `hook:${it.appId}:${it.channel}` : `service:${it.serviceId}`;
}

function isoOf(date: string | undefined): string | null {
  const n = Number(date);
  return date && Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : null;
}

/**
 * The entries the replay can read: every field it uses is absent or of the documented type (`date` a number of
 * seconds, as a string or number). The others are reported, named by app id (or service id) and field.
 */
export function checkLogEntries(entries: LogEntry[]): { wellFormed: LogEntry[]; malformed: SkippedItem[] } {
  return partitionWellFormed(entries, (e) => {
    const f = fieldsOf(e, 'logs[]', ['app_id', 'service_id']);
    if (f.optionalNumber('date') === null) f.fail('date', 'a time in epoch seconds', e.date);
    for (const field of ['change_type', 'scope', 'app_id', 'app_type', 'service_type', 'channel', 'user_id', 'user_name', 'reason']) f.optionalString(field);
    f.optionalKey('service_id');
  });
}
