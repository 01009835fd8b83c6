// Entra ID / Azure remediation (src/remediation): the portal page and the Azure CLI command that removes or narrows
// the object a finding names, as documented in the Azure CLI reference (docs/report.md "Remediation"):
// `az ad app credential delete --id <appId> --key-id <keyId> [--cert]` (and `az ad sp credential delete` for a service
// principal's own credentials), `az ad app federated-credential delete --id <appId> --federated-credential-id <id>`,
// `az ad sp update --id <appId> --set accountEnabled=false`. Consented permissions are revoked on the enterprise
// application's Permissions page (the Graph call needs the grant's id, which the graph does not keep).
import { arg, command, nativeId, prop, seg, SHAPES, type RemediationAction, type RemediationInput } from '../../src/remediation/shell.ts';

const PORTAL = 'https://portal.azure.com/#view';
const ROTATION_RULES = new Set(['credential-rotation-overdue', 'static-secret', 'credential-lifetime-excessive', 'credential-no-expiry', 'credential-expiring-soon', 'multiple-active-secrets']);

export default function azureRemediation(f: RemediationInput): RemediationAction | null {
  const n = f.subject?.type ? f.subject : f.connector;
  if (!n?.type) return null;
  const holder = n === f.subject ? f.connector : null;
  switch (n.type) {
    case 'azure.client_secret':
    case 'azure.certificate': {
      const viaSp = holder?.type === 'azure.service_principal';
      const appId = arg(prop(holder, 'app_id'), SHAPES.guid);
      const keyId = arg(n.props.key_id ?? nativeId(n.id, n.type.slice('azure.'.length)), SHAPES.guid);
      const cert = n.type === 'azure.certificate' ? '--cert' : '';
      return { console_url: appPage(holder, 'Credentials'),
        command: command(`az ad ${viaSp ? 'sp' : 'app'} credential delete --id`, appId, '--key-id', keyId, ...(cert ? [cert] : [])),
        note: ROTATION_RULES.has(f.rule)
          ? `To rotate: add a new ${cert ? 'certificate' : 'secret'} (az ad ${viaSp ? 'sp' : 'app'} credential reset --id <appId> --append${cert ? ' --cert …' : ''}), switch its consumers, then delete this one with the command.`
          : `Deletes the ${cert ? 'certificate' : 'client secret'} from the ${viaSp ? 'service principal' : 'application'}.` };
    }
    case 'azure.federated_credential': {
      const appId = arg(prop(holder, 'app_id'), SHAPES.guid);
      const id = arg(nativeId(n.id, 'federated_credential'), SHAPES.guid);
      return { console_url: appPage(holder, 'Credentials'),
        command: command('az ad app federated-credential delete --id', appId, '--federated-credential-id', id), note: 'Deletes the federated identity credential.' };
    }
    case 'azure.service_principal': {
      const appId = arg(n.props.app_id, SHAPES.guid);
      const objectId = seg(n.props.object_id ?? nativeId(n.id, 'service_principal'), SHAPES.guid);
      const appSeg = seg(n.props.app_id, SHAPES.guid);
      const page = objectId && appSeg ? `${PORTAL}/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Permissions/objectId/${objectId}/appId/${appSeg}` : null;
      if (f.rule === 'scope-drift' || f.rule === 'high-risk-permission' || f.rule === 'scope-change') {
        return { console_url: page, command: null, note: 'Review and revoke the permissions beyond approval on the enterprise application\'s Permissions page (admin consent is revoked per permission there).' };
      }
      return { console_url: page, command: command('az ad sp update --id', appId, '--set accountEnabled=false'),
        note: 'Disables sign-in for the enterprise application in this tenant (reversible). Deleting it (az ad sp delete --id <appId>) also removes its consents and role assignments.' };
    }
    case 'azure.application':
      return { console_url: appPage(n, 'Overview'), command: null, note: 'Review the app registration: its owners, credentials and API permissions.' };
    default:
      return null;
  }
}

function appPage(app: RemediationInput['connector'], blade: string): string | null {
  const appId = seg(prop(app, 'app_id'), SHAPES.guid);
  if (!appId) return null;
  return app?.type === 'azure.service_principal'
    ? `${PORTAL}/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/appId/${appId}`
    : `${PORTAL}/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/${blade}/appId/${appId}`;
}
