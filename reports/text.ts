// Small text helpers shared by the renderers: labels for node types, one-line evidence, dates.

/** 'github.app_installation' -> 'app installation' */
export function typeLabel(type: string): string {
  const i = type.indexOf('.');
  return (i >= 0 ? type.slice(i + 1) : type).replace(/[_-]+/g, ' ');
}

/** Evidence JSON as one readable line: `key: value; key: [a, b]`. */
export function evidenceText(e: Record<string, unknown>, max = 300): string {
  const parts = Object.entries(e).filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${value(v, 0)}`);
  const s = parts.join('; ');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** Nested evidence reads as names, not JSON: an object with a name shows its name (and reasons), others k=v. */
function value(v: unknown, depth: number): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.map((x) => value(x, depth + 1)).join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const label = o.name ?? o.email ?? o.person ?? o.id;
    if (label !== undefined) return `${String(label)}${Array.isArray(o.reasons) && o.reasons.length ? ` (${o.reasons.join(', ')})` : ''}`;
    if (depth > 1) return JSON.stringify(o);
    return Object.entries(o).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => `${k}=${value(x, depth + 1)}`).join(' ');
  }
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
