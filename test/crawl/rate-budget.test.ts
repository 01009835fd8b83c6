// RateBudget: pacing from observed remaining/reset with concurrent callers, declared rates, pauses.
import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../src/crawl/rate-budget.ts';

/** A server window of `limit` calls per `windowMs`, reporting remaining/reset like GitHub (reset in whole seconds). */
function fakeServer(limit: number, windowMs: number) {
  let start = -1;
  let used = 0;
  let rejected = 0;
  return {
    get rejected() { return rejected; },
    hit(now: number) {
      if (start < 0 || now - start >= windowMs) { start = now; used = 0; }
      if (used >= limit) { rejected++; return { ok: false, remaining: 0, resetAtMs: Math.ceil((start + windowMs) / 1000) * 1000 }; }
      used++;
      return { ok: true, remaining: limit - used, resetAtMs: Math.ceil((start + windowMs) / 1000) * 1000 };
    },
  };
}

describe('RateBudget', () => {
  it('keeps concurrent callers under the wall across windows', async () => {
    const budget = new RateBudget({ reserve: 1 });
    const server = fakeServer(20, 300);
    let inflight = 0;
    const worker = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await budget.acquire('core');
        inflight++;
        const sentAt = Date.now();
        await new Promise((r) => setTimeout(r, 2 + Math.random() * 8));
        const res = server.hit(sentAt);
        inflight--;
        budget.observe('core', { remaining: res.remaining, resetAtMs: res.resetAtMs });
        budget.release('core');
      }
    };
    await Promise.all([worker(20), worker(20), worker(20), worker(20)]);
    expect(inflight).toBe(0);
    expect(server.rejected).toBe(0);
    expect(budget.waitedMs).toBeGreaterThan(0);
  });

  it('spaces calls of a declared rate', async () => {
    const budget = new RateBudget();
    budget.declare('tier2', { calls: 5, perMs: 100 });
    const t0 = Date.now();
    for (let i = 0; i < 6; i++) await budget.acquire('tier2');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
  });

  it('a pause holds every caller of the bucket', async () => {
    const budget = new RateBudget();
    budget.pause('b', 150);
    const t0 = Date.now();
    await Promise.all([budget.acquire('b'), budget.acquire('b')]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await budget.acquire('other');
  });

  it('refuses to wait longer than the configured maximum', async () => {
    const budget = new RateBudget({ reserve: 0, maxWaitMs: 1000 });
    budget.observe('core', { remaining: 0, resetAtMs: Date.now() + 3_600_000 });
    await expect(budget.acquire('core')).rejects.toThrow(/exhausted/);
  });
});

describe('RateBudget refunds', () => {
  it('a call that cost nothing (a 304) gives its unit back, so free calls never wait for a reset', async () => {
    const budget = new RateBudget({ reserve: 1 });
    const reset = Date.now() + 3_600_000;
    budget.observe('core', { remaining: 3, resetAtMs: reset });
    for (let i = 0; i < 50; i++) {
      await budget.acquire('core');
      budget.observe('core', { remaining: 3, resetAtMs: reset, free: true });
      budget.release('core');
    }
    expect(budget.waitedMs).toBe(0);
  });
});
