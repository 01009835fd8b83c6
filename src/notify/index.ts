// Sends one digest per run to each configured channel (Slack incoming webhook, signed JSON webhook,
// SMTP e-mail). Each delivery is retried with exponential backoff, logged without its URL or password,
// and recorded in `alert_deliveries`; a failed delivery never throws — the run goes on. A finding is
// marked alerted on a channel only when the digest reached that channel, so a failed channel gets it
// again next run. Every digest is masked (every declared token format) just before a channel renders it.
import crypto from 'node:crypto';
import type { AlertsConfig } from '../config/config.ts';
import type { Db } from '../graph/db.ts';
import { recordDelivery } from '../graph/alerts.ts';
import type { Logger } from '../util/log.ts';
import { maskDeep } from '../util/redact.ts';
import { sleep } from '../util/sleep.ts';
import { buildDigest, isEmpty, recordAlerted, type CrawlProblem, type Digest } from './digest.ts';
import { sendEmail } from './email.ts';
import { slackPayload } from './slack.ts';
import { signedHeaders, webhookBody } from './webhook.ts';

export type { CrawlProblem, Digest } from './digest.ts';

export interface NotifyContext {
  db: Db;
  config: AlertsConfig;
  env: NodeJS.ProcessEnv;
  log: Logger;
  organisation: string;
  crawlProblems: CrawlProblem[];
  pipelineRunId: number | null;
  crawlRunId: number | null;
}

export interface DeliveryResult {
  channel: string;
  status: 'delivered' | 'failed' | 'nothing-to-send';
  attempts: number;
  newFindings: number;
  resolved: number;
  crawlProblems: number;
  error?: string;
}

/** A delivery error worth retrying (network, timeout, 5xx, 429) or not (other 4xx, configuration). */
class DeliveryError extends Error {
  constructor(message: string, readonly retry: boolean, readonly response?: string) { super(message); }
}

interface Channel { name: string; send: (d: Digest, deliveryId: string) => Promise<string> }

export function configuredChannels(cfg: AlertsConfig, env: NodeJS.ProcessEnv): Channel[] {
  const channels: Channel[] = [];
  const need = (name: string | undefined, what: string): string => {
    const v = name ? env[name] : undefined;
    if (!v) throw new DeliveryError(`${what}: environment variable ${name} is not set`, false);
    return v;
  };
  if (cfg.slack) {
    const s = cfg.slack;
    channels.push({ name: 'slack', send: (d) => postJson(need(s.webhookUrlEnv, 'slack webhook URL'), JSON.stringify(slackPayload(d)),
      { 'content-type': 'application/json' }, cfg.timeoutMs, 'slack webhook') });
  }
  if (cfg.webhook) {
    const w = cfg.webhook;
    channels.push({ name: 'webhook', send: (d, id) => {
      const body = webhookBody(d);
      return postJson(need(w.urlEnv, 'webhook URL'), body, signedHeaders(need(w.secretEnv, 'webhook HMAC secret'), body, id), cfg.timeoutMs, 'webhook');
    } });
  }
  if (cfg.email) {
    const e = cfg.email;
    channels.push({ name: 'email', send: async (d) => {
      const pass = e.passwordEnv ? need(e.passwordEnv, 'SMTP password') : undefined;
      try { return await sendEmail(e, pass, d, cfg.timeoutMs); } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        throw new DeliveryError(`smtp: ${(err as Error).message}`, code === undefined || code >= 400 && code < 500 || code === 421, code ? String(code) : undefined);
      }
    } });
  }
  return channels;
}

async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, what: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (err) {
    // Never echo the URL: it is the secret of an incoming webhook.
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new DeliveryError(`${what}: request failed (${cause})`, true);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.ok) return `HTTP ${res.status}`;
  throw new DeliveryError(`${what}: HTTP ${res.status}`, res.status >= 500 || res.status === 429 || res.status === 408, `HTTP ${res.status}`);
}

/** Builds and sends this run's digest on every configured channel. Never throws. */
export async function notify(ctx: NotifyContext): Promise<DeliveryResult[]> {
  const { db, config: cfg, log } = ctx;
  const results: DeliveryResult[] = [];
  let channels: Channel[];
  try { channels = configuredChannels(cfg, ctx.env); } catch (err) { log.error('alerts misconfigured', { error: (err as Error).message }); return results; }
  for (const ch of channels) {
    const clog = log.child({ channel: ch.name });
    let digest: Digest;
    try {
      digest = maskDeep(buildDigest(db, { channel: ch.name, minSeverity: cfg.minSeverity, announceResolved: cfg.announceResolved,
        crawlProblems: cfg.crawlProblems ? ctx.crawlProblems : [], organisation: ctx.organisation, runId: ctx.crawlRunId }));
    } catch (err) {
      clog.error('could not build the alert digest', { error: (err as Error).message });
      continue;
    }
    const counts = { newFindings: digest.newFindings.length, resolved: digest.resolved.length, crawlProblems: digest.crawlProblems.length };
    if (isEmpty(digest)) { results.push({ channel: ch.name, status: 'nothing-to-send', attempts: 0, ...counts }); clog.info('nothing to alert'); continue; }
    const deliveryId = crypto.randomUUID();
    let attempts = 0;
    let lastErr: DeliveryError | undefined;
    let response: string | undefined;
    while (attempts < cfg.retry.attempts) {
      attempts++;
      try {
        response = await ch.send(digest, deliveryId);
        lastErr = undefined;
        break;
      } catch (err) {
        lastErr = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message, false);
        const retry = lastErr.retry && attempts < cfg.retry.attempts;
        clog.warn('alert delivery failed', { attempt: attempts, retry, error: lastErr.message });
        if (!retry) break;
        await sleep(cfg.retry.baseDelayMs * 2 ** (attempts - 1));
      }
    }
    const status = lastErr ? 'failed' : 'delivered';
    const deliveryRow = recordDelivery(db, { pipelineRunId: ctx.pipelineRunId, channel: ch.name, status, attempts,
      response: lastErr?.response ?? response ?? null, error: lastErr?.message ?? null,
      newFindings: counts.newFindings, resolvedFindings: counts.resolved, crawlProblems: counts.crawlProblems });
    if (!lastErr) recordAlerted(db, ch.name, digest, deliveryRow);
    (lastErr ? clog.error : clog.info)(lastErr ? 'alert not delivered' : 'alert delivered', { attempts, ...counts, error: lastErr?.message });
    results.push({ channel: ch.name, status, attempts, ...counts, error: lastErr?.message });
  }
  return results;
}
