// Small text helpers shared by the renderers: labels for node types, dates, counts (evidence: evidence-text.ts).

/** 'github.app_installation' -> 'app installation' */
export { typeWords as typeLabel } from '../src/reconcile/title-facts.ts';

export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

export function minute(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : '—';
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

export function num(n: number): string {
  return n.toLocaleString('en-GB');
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A provider's crawl runs in report text: "#11", or "#10, #11" when its tenants' evidence comes from several runs. */
export function runRefs(runIds: readonly number[]): string {
  return runIds.map((r) => `#${r}`).join(', ');
}
