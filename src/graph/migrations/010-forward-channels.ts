// Migration 010: the forwards view separates chat channels from network hosts. A FORWARDS_TO endpoint whose
// props say endpoint_type 'channel' (a chat channel a webhook posts into) is listed in the new `channel` and
// `channel_id` columns and never in `host`, which holds network hosts only (what destination rules and
// inventories judge). Endpoints written before 010 that name a channel are marked endpoint_type 'channel'.
export const id = 10;
export const name = 'forward-channels';
export const sql = `
UPDATE nodes SET props = json_set(props, '$.endpoint_type', 'channel')
 WHERE kind = 'endpoint' AND json_extract(props, '$.channel') IS NOT NULL AND json_extract(props, '$.endpoint_type') IS NULL;

DROP VIEW forwards;
CREATE VIEW forwards AS
SELECT e.src AS connector_id, c.name AS connector_name, c.provider,
       CASE WHEN json_extract(d.props, '$.endpoint_type') = 'channel' THEN NULL ELSE d.name END AS host,
       e.props AS forward_props,
       CASE WHEN json_extract(d.props, '$.endpoint_type') = 'channel' THEN d.name END AS channel,
       CASE WHEN json_extract(d.props, '$.endpoint_type') = 'channel' THEN json_extract(d.props, '$.channel_id') END AS channel_id
  FROM edges e
  JOIN nodes c ON c.id = e.src
  JOIN nodes d ON d.id = e.dst
 WHERE e.type = 'FORWARDS_TO' AND e.removed_run IS NULL AND c.removed_run IS NULL;
`;
