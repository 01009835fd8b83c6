// The report model's reach parts (docs/report.md "Blast radius" and "AI agents with access"): the top reach paths by
// the privilege at their end, each with the chain of nodes and steps it takes, and the AI-agent connectors with what
// they can read and change, who approved them and their findings. Built by reports/blast-radius.ts and
// reports/ai-agents.ts; rendered by reports/render-reach.ts (HTML, Markdown) and reports/render-csv.ts.
import type { Severity } from './reference.ts';

/** A node of a drawn path: what its box shows. */
export interface ChainNode { id: string; name: string; kind: string; provider: string }
/** A step between two nodes of a drawn path: the `paths` view's step name and its access in words. */
export interface ChainStep { step: string; access: string }

export interface BlastPath {
  connectorId: string; connector: string; provider: string;
  /** The resource at the end, with the roles the last step gives and the catalogue's grade of them. */
  targetId: string; target: string; targetType: string; targetProvider: string; roles: string[]; privilege: Severity;
  hops: number;
  /** The path crosses a trust (a workload's tokens accepted by another identity): usually another provider. */
  viaTrust: boolean;
  /** nodes.length = steps.length + 1 when the path was found in the graph; [origin, target] and no steps when not. */
  nodes: ChainNode[]; steps: ChainStep[];
  /** Whether the walk over the graph found this path again (it is drawn); false: only its ends are known. */
  drawn: boolean;
}

export interface BlastRadius {
  /** The reach computation the section reads (src/reach/summaries.ts): null when none was computed for the reconciliation. */
  computation: { id: number; reconId: number; computedAt: string } | null;
  /** Paths that end on a role graded high or critical, across every connector's summary. */
  total: number;
  /** The top of them: privilege at the end (critical first), then those crossing a trust, then fewer hops, then names. */
  paths: BlastPath[];
  /** Said beside the section when the chains are drawn from a graph newer than the report's runs. */
  note: string | null;
}

/** A permission of an agent, graded by the risk catalogue: what it lets the agent do. */
export interface AgentPermission { scope: string; access: 'read' | 'write' | 'admin'; severity: Severity; broad: string | null }

export interface AgentItem {
  connectorId: string; name: string; provider: string; typeLabel: string; vendor: string | null;
  category: string;
  /** 'inventory' (the entry's `category:`), 'catalogue' (a known identifier), 'name' (matched by name: no verified identifier). */
  categoryFrom: 'inventory' | 'catalogue' | 'name';
  /** How the category was known, in words, with the catalogue's source when it came from there. */
  how: string; source: string | null;
  reads: AgentPermission[]; changes: AgentPermission[];
  /** The connector's reach in words (its reach summary), '' when none. */
  reach: string;
  /** The approving inventory entry (null: not approved), with its owners and ticket. */
  approval: { entry: string; owners: string[]; ticket: string | null; approvedOn: string | null } | null;
  findings: Array<{ id: string; rule: string; severity: Severity; title: string }>;
  worstSeverity: Severity | null;
}

export interface AiAgents {
  /** Whether a reconciliation exists: without one approval (and the inventory's categories) is unknown. */
  reconciled: boolean;
  agents: AgentItem[];
  /** Personal credentials whose own label names an agent (agent-personal-credential findings): flagged for review. */
  personalCredentials: Array<{ id: string; subject: string; provider: string; severity: Severity; title: string; owner: string | null }>;
}
