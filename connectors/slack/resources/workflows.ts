// Workflow Builder workflows of the Grid org (admin.workflows.search; Enterprise Grid, org-level token
// with admin.workflows:read): collaborators own them; steps name the functions — and so the connector
// apps — they run. Workflows of non-Grid workspaces are not listable by any API (docs/providers/slack.md).
// https://docs.slack.dev/reference/methods/admin.workflows.search
import type { AdminWorkflowsSearchResponse } from '@slack/web-api';
import { defineResource } from '../../../src/crawl/resource.ts';
import type { Emitted, GraphEdge, GraphNode } from '../../../src/graph/model.ts';
import type { SlackClient } from '../client.ts';
import { cursorPages } from '../paginate.ts';
import { ids, isoFromEpoch, need, P, tenantLink, userRef } from '../map-helpers.ts';
import { GRID } from '../permission-hints.ts';
import { gridOnly, notAnEnterprise, unsupportedBecause } from '../slack-errors.ts';
import { fieldsOf } from '../../../src/crawl/malformed-item.ts';

type Workflow = NonNullable<AdminWorkflowsSearchResponse['workflows']>[number];

export const workflows = defineResource<SlackClient, Workflow>({
  provider: P, type: 'slack.workflows', description: 'Workflow Builder workflows and the connector functions they run (Grid)',
  docs: 'https://docs.slack.dev/reference/methods/admin.workflows.search',
  permission: { grant: { [GRID]: 'admin.workflows:read' } },
  emits: { nodes: ['connector', 'principal', 'tenant'], edges: ['IN_TENANT', 'OWNS'] },
  matchKeys: ['app_id'],
  list: gridOnly('admin.workflows.search', (ctx) => cursorPages<Workflow>(ctx.client, 'admin.workflows.search', {}, 'workflows')),
  map(w, ctx): Emitted {
    const f = fieldsOf(w, 'workflows[]', ['id', 'title']);
    const id = ids.workflow(f.string('id'));
    f.optionalString('team_id');
    const collaborators = f.strings('collaborators');
    const functions = [...new Set(f.list('steps').map((s) => (s as { function_id?: unknown } | null)?.function_id)
      .filter((fn): fn is string => typeof fn === 'string' && fn !== ''))].sort();
    // Functions of other apps are named '<app id>#/functions/<name>'; Slack's own are 'slack#/functions/…'.
    const connectorApps = [...new Set(functions.map((f) => f.split('#')[0]!).filter((a) => a && a !== 'slack'))].sort();
    const nodes: GraphNode[] = [{ id, kind: 'connector', type: 'slack.workflow', name: f.label('title') ?? f.string('id'), props: {
      connector_type: 'workflow', app_id: w.app_id ?? null, workflow_id: w.id, team_id: w.team_id ?? null, enabled: w.is_published ?? null,
      is_published: w.is_published ?? null, created_at: null, updated_at: isoFromEpoch(w.date_updated), last_used_at: null,
      last_updated_by: w.last_updated_by ?? null, collaborators: [...collaborators].sort(), trigger_count: w.trigger_ids?.length ?? 0,
      functions, connector_apps: connectorApps, source: w.source ?? null,
    } }];
    // team_id is a workspace (T…) or, for org-wide workflows, the Grid org itself (E…): its own tenant node.
    const tenant = tenantLink(id, w.team_id || ctx.tenant.id);
    nodes.push(...tenant.nodes);
    const edges: GraphEdge[] = [...tenant.edges];
    for (const c of [...new Set(collaborators)].sort()) {
      nodes.push(userRef(c));
      edges.push({ type: 'OWNS', from: ids.user(c), to: id, props: { role: 'collaborator' } });
    }
    return { nodes, edges };
  },
  unsupported: unsupportedBecause('admin.workflows.search'),
  notApplicable: notAnEnterprise('admin.workflows.search'),
});
