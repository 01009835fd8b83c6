// PostgreSQL migration 010 (= SQLite 010-forward-channels): the forwards view separates chat channels (channel,
// channel_id) from network hosts (host); endpoints written before 010 that name a channel are marked as channels.
import { jsonText } from './sql.ts';

export const id = 10;
export const name = 'forward-channels';
export const sql = `
UPDATE nodes SET props = jsonb_set(props, '{endpoint_type}', '"channel"')
 WHERE kind = 'endpoint' AND props ->> 'channel' IS NOT NULL AND props ->> 'endpoint_type' IS NULL;

DROP VIEW forwards;
CREATE VIEW forwards AS
SELECT e.src AS connector_id, c.name AS connector_name, c.provider,
       CASE WHEN d.props ->> 'endpoint_type' = 'channel' THEN NULL ELSE d.name END AS host,
       e.props AS forward_props,
       CASE WHEN d.props ->> 'endpoint_type' = 'channel' THEN d.name END AS channel,
       CASE WHEN d.props ->> 'endpoint_type' = 'channel' THEN ${jsonText('d.props', 'channel_id')} END AS channel_id
  FROM edges e
  JOIN nodes c ON c.id = e.src
  JOIN nodes d ON d.id = e.dst
 WHERE e.type = 'FORWARDS_TO' AND e.removed_run IS NULL AND c.removed_run IS NULL;
`;
