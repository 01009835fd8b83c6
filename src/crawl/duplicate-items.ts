// Duplicate items within one listing: the same object returned twice (by a provider bug, a page that
// shifted under the paginator, or a hostile proxy). Only an item's *primary node* identifies it: the
// first node its mapping emits that the listing owns (not a `ref`, `shared` or `patch` node) and whose
// kind names an object of its own rather than something many objects point at (scope, vendor, endpoint).
// Items that emit no such node (edge-only listings such as repository reach) are never duplicates.
// The engine keeps the first copy, drops the later ones whole (nodes, edges, fan-out), and marks the
// listing partial so nothing is removed on the strength of it.
import type { Emitted, NodeKind } from '../graph/model.ts';

/** Kinds that many items of one listing legitimately share: never an item's identity. */
const DESCRIPTOR_KINDS: ReadonlySet<NodeKind> = new Set(['scope', 'vendor', 'endpoint']);

/** The node that identifies the item `out` was mapped from, or null. */
export function primaryNodeId(out: Emitted): string | null {
  const n = out.nodes.find((x) => !x.ref && !x.shared && !x.patch && !DESCRIPTOR_KINDS.has(x.kind));
  return n?.id ?? null;
}

/** Remembers the primary node ids seen in one listing, and the duplicates met. */
export class DuplicateItems {
  private readonly seen = new Set<string>();
  /** Duplicate id -> how many extra copies were dropped. */
  readonly duplicates = new Map<string, number>();

  /** True when `out` repeats an item already seen in this listing (and records it). */
  isDuplicate(out: Emitted): boolean {
    const id = primaryNodeId(out);
    if (id === null) return false;
    if (!this.seen.has(id)) { this.seen.add(id); return false; }
    this.duplicates.set(id, (this.duplicates.get(id) ?? 0) + 1);
    return true;
  }

  /** The ledger warning, naming the first few ids. */
  warning(): string | null {
    if (this.duplicates.size === 0) return null;
    const ids = [...this.duplicates.keys()];
    const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ` and ${ids.length - 5} more` : '');
    const copies = [...this.duplicates.values()].reduce((a, b) => a + b, 0);
    return `duplicate id${ids.length > 1 ? 's' : ''} in one listing: ${shown} (${copies} later cop${copies > 1 ? 'ies' : 'y'} ignored, the first kept); listing partial, nothing removed`;
  }
}
