// Small text helpers shared by the renderers: labels for node types, one-line evidence, dates.

/** 'github.app_installation' -> 'app installation' */
export function typeLabel(type: string): string {
  const i = type.indexOf('.');
  return (i >= 0 ? type.slice(i + 1) : type).replace(/[_-]+/g, ' ');
}

/** Evidence JSON as one readable line: `key: value; key: [a, b]`. */
export function evidenceText(e: Record<string, unknown>, max = 400): string {
  const parts = Object.entries(e).map(([k, v]) => `${k.replace(/_/g, ' ')}: ${value(v)}`);
  const s = parts.join('; ');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function value(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.map(value).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

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
