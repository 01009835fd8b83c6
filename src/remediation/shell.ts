// The types of object-specific remediation (src/remediation/index.ts) and the helpers every provider's generator
// (connectors/<p>/remediation.ts) builds commands and URLs with. Graph values are hostile input (third parties name
// their apps and ids): a value enters a command only through `arg` (it must match the expected shape; it is then
// single-quoted unless it is plain id characters) and a URL only through `seg` (shape-checked, percent-encoded).
// A value of the wrong shape yields no command — `command` returns null when any part is null.

/** What a generator sees of a finding: its rule, subject and connector nodes (type, props) and evidence. */
export interface RemediationInput {
  rule: string; provider: string; tenant: string | null;
  subject: { id: string; type: string | null; name: string | null; props: Record<string, unknown> } | null;
  connector: { id: string; type: string | null; name: string | null; props: Record<string, unknown> } | null;
  /** The tenant node's props (e.g. a workspace's domain), when known. */
  tenantProps: Record<string, unknown>;
  /** What the subject can access (its CAN_ACCESS edges): the resource's name and the edge's props (e.g. roles held on it). */
  access: Array<{ resource: string | null; props: Record<string, unknown> }>;
  evidence: Record<string, unknown>;
}

export interface RemediationAction {
  /** The page where an administrator does it by hand; null when no page is known for certain. */
  console_url: string | null;
  /** The CLI command or API call (shell syntax); null when no command is known for certain or a value had the wrong shape. */
  command: string | null;
  /** What the command does and what to check first. */
  note: string;
}

export type RemediationGenerator = (f: RemediationInput) => RemediationAction | null;

/** Common shapes of ids a command may carry. */
export const SHAPES = {
  digits: /^\d{1,20}$/,
  guid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  hex: /^[0-9a-f]{8,64}$/i,
  /** A login / slug / project id: letters, digits, '-', '_', '.' (no leading '-', so never read as an option). */
  slug: /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
  /** owner/repo */
  repo: /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\/[A-Za-z0-9._-]{1,100}$/,
  email: /^[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9.-]{1,253}$/,
} as const;

/** `value` as one shell word if it has the expected shape (single-quoted unless plain), else null. */
export function arg(value: unknown, shape: RegExp): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value);
  if (!shape.test(s) || /[\0-\x1f\x7f]/.test(s)) return null;
  return /^[A-Za-z0-9._@/:=+-]+$/.test(s) && !s.startsWith('-') ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `value` as a URL path segment if it has the expected shape (percent-encoded), else null. */
export function seg(value: unknown, shape: RegExp): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value);
  return shape.test(s) ? encodeURIComponent(s) : null;
}

/** The command only when every part is present (a part of the wrong shape is null): parts joined by spaces. */
export function command(...parts: Array<string | null>): string | null {
  return parts.every((p) => p !== null) ? parts.join(' ') : null;
}

/** A string prop of a node (or null). */
export function prop(n: { props: Record<string, unknown> } | null | undefined, key: string): unknown {
  const v = n?.props[key];
  return typeof v === 'string' || typeof v === 'number' ? v : null;
}

/** The native id at the end of a node id (`<provider>:<type>:<native id>`), or null when the node id has another form. */
export function nativeId(nodeId: string | null | undefined, type: string): string | null {
  const m = typeof nodeId === 'string' ? /^[^:]+:([^:]+):(.+)$/.exec(nodeId) : null;
  return m && m[1] === type ? m[2]! : null;
}

/** Scope names the evidence reports beyond approval or as high-risk (`excess[].scope`, `scope`), in order. */
export function evidenceScopes(evidence: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (Array.isArray(evidence.excess)) for (const x of evidence.excess) if (x && typeof (x as { scope?: unknown }).scope === 'string') out.push((x as { scope: string }).scope);
  if (typeof evidence.scope === 'string') out.push(evidence.scope);
  return [...new Set(out)];
}
