// Google Cloud / Workspace remediation (src/remediation): the console page and the gcloud command that removes or
// narrows the object a finding names, as documented in the gcloud reference (docs/report.md "Remediation"):
// `gcloud iam service-accounts keys delete KEY_ID --iam-account=SA`, `gcloud projects remove-iam-policy-binding
// PROJECT --member=serviceAccount:SA --role=ROLE`, `gcloud iam service-accounts disable SA`. Third-party OAuth apps are
// blocked in the Admin console (App access control); users' existing tokens are revoked with the Admin SDK
// Directory API tokens.delete, per user.
import { arg, command, evidenceScopes, nativeId, prop, seg, SHAPES, type RemediationAction, type RemediationInput } from '../../src/remediation/shell.ts';

const PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const ROLE = /^(roles\/[A-Za-z0-9_.]{1,100}|(projects|organizations)\/[A-Za-z0-9_.-]{1,100}\/roles\/[A-Za-z0-9_.]{1,100})$/;
const SA_EMAIL = /^[a-z0-9][a-z0-9-]{0,62}@[a-z0-9-]{1,63}\.iam\.gserviceaccount\.com$|^[0-9]{1,30}-compute@developer\.gserviceaccount\.com$|^[a-z0-9-]{1,63}@appspot\.gserviceaccount\.com$/;
const ADMIN_APPS = 'https://admin.google.com/ac/owl/list?tab=configuredApps';

export default function googleRemediation(f: RemediationInput): RemediationAction | null {
  const n = f.subject?.type ? f.subject : f.connector;
  if (!n?.type) return null;
  switch (n.type) {
    case 'google.service_account_key': {
      const key = arg(n.props.key_id ?? nativeId(n.id, 'service_account_key'), SHAPES.hex);
      const sa = arg(n.props.service_account, SA_EMAIL);
      const project = arg(n.props.project_id, PROJECT);
      return { console_url: projectPage('iam-admin/serviceaccounts', n.props.project_id),
        command: command('gcloud iam service-accounts keys delete', key, sa ? `--iam-account=${sa}` : null, ...(project ? [`--project=${project}`] : [])),
        note: 'Deletes the user-managed key (anything still using it stops working; `gcloud iam service-accounts keys disable` first is reversible). '
          + 'Prefer workload identity federation or an attached service account to a new key.' };
    }
    case 'google.service_account': {
      const email = typeof n.props.email === 'string' ? n.props.email : nativeId(n.id, 'service_account');
      const sa = arg(email, SA_EMAIL);
      const home = prop(n, 'project_id');
      if (f.rule === 'scope-drift' || f.rule === 'high-risk-permission' || f.rule === 'scope-change') {
        // one binding removal per role beyond approval, on the project where the graph saw the role held
        const cmds = evidenceScopes(f.evidence).map((role) => {
          const on = f.access.find((a) => Array.isArray(a.props.roles) && a.props.roles.includes(role));
          const project = arg(on?.props.project_id, PROJECT);
          const r = arg(role, ROLE);
          return command('gcloud projects remove-iam-policy-binding', project, sa ? `--member=serviceAccount:${sa}` : null, r ? `--role=${r}` : null);
        });
        const all = cmds.length && cmds.every((c) => c !== null) ? cmds.join('\n') : null;
        const on = f.access.find((a) => typeof a.props.project_id === 'string')?.props.project_id ?? home;
        return { console_url: projectPage('iam-admin/iam', on), command: all, note: 'Removes the role binding(s) beyond approval from the service account; grant a narrower role if it still needs one.' };
      }
      const project = arg(home, PROJECT);
      return { console_url: projectPage('iam-admin/serviceaccounts', home),
        command: command('gcloud iam service-accounts disable', sa, ...(project ? [`--project=${project}`] : [])),
        note: 'Disables the service account (reversible with `gcloud iam service-accounts enable`); delete it once nothing depends on it.' };
    }
    case 'google.oauth_client':
    case 'google.oauth_grant': {
      const client = seg(n.type === 'google.oauth_client' ? (n.props.client_id ?? n.props.app_id) : prop(f.connector, 'client_id'), /^[A-Za-z0-9._-]{1,200}$/);
      return { console_url: ADMIN_APPS, command: null,
        note: 'Block or limit the app in the Admin console (Security > API controls > App access control). Existing grants stay until revoked: '
          + `the Admin SDK Directory API tokens.delete (DELETE https://admin.googleapis.com/admin/directory/v1/users/{userKey}/tokens/${client ?? '{clientId}'}) revokes one user's grant.` };
    }
    default:
      return null;
  }
}

function projectPage(path: string, project: unknown): string | null {
  const p = seg(project, PROJECT);
  return p ? `https://console.cloud.google.com/${path}?project=${p}` : null;
}
