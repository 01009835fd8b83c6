// Issue 19: the `trusts` view joins the two providers' crawls. The demo's GitHub organisation and Entra tenant, each
// crawled through its simulator into one graph: every federated credential's trust resolves to the GitHub repository its
// subject names (by the workload_keys repositories carry), held by the application with the credential; on SQLite and
// PostgreSQL alike. (Unresolved trusts, with null repository columns: test/azure/mapping.test.ts, the Entra crawl alone.)
import { expect, it } from 'vitest';
import { buildAzureScenario, azurePlanted } from '../../scenarios/demo/azure.ts';
import { buildGithubScenario } from '../../scenarios/demo/github.ts';
import { describeBackends } from '../helpers/backends.ts';
import { crawlScenario } from '../helpers/scenario-crawl.ts';

describeBackends('trusts view over a GitHub and an Entra crawl', ({ openTestDb }) => {
  it('resolves each federated credential to the repository it names, held by its application', async () => {
    const db = openTestDb();
    await crawlScenario(db, { name: 'trusts', github: buildGithubScenario(), azure: buildAzureScenario() });
    const rows = db.prepare(`SELECT holder_name, credential_id IS NOT NULL AS by_credential, provider, subject, issuer_kind, breadth, workload_key,
        repository_id, repository_name, via FROM trusts ORDER BY subject`).all();
    expect(rows).toEqual([
      { holder_name: 'halcyon-billing-api', by_credential: 1, provider: 'azure', subject: azurePlanted.pinnedTrustSubject, issuer_kind: 'github-actions',
        breadth: 'pinned', workload_key: 'github:repo:halcyon-logistics/billing-api', repository_id: 'github:repository:50000',
        repository_name: 'halcyon-logistics/billing-api', via: 'federated_credential' },
      { holder_name: 'terraform-ci', by_credential: 1, provider: 'azure', subject: azurePlanted.broadTrustSubject, issuer_kind: 'github-actions',
        breadth: 'pull-request', workload_key: 'github:repo:halcyon-logistics/infra-terraform', repository_id: 'github:repository:50002',
        repository_name: 'halcyon-logistics/infra-terraform', via: 'federated_credential' },
      { holder_name: 'terraform-ci', by_credential: 1, provider: 'azure', subject: 'repo:halcyon-logistics/infra-terraform:ref:refs/heads/main',
        issuer_kind: 'github-actions', breadth: 'pinned', workload_key: 'github:repo:halcyon-logistics/infra-terraform', repository_id: 'github:repository:50002',
        repository_name: 'halcyon-logistics/infra-terraform', via: 'federated_credential' },
    ]);
    const keys = db.prepare(`SELECT props FROM nodes WHERE id = 'github:repository:50002'`).pluck().get() as string;
    expect(JSON.parse(keys).workload_keys).toEqual(['github:repo:halcyon-logistics/infra-terraform', 'github:repo_id:50002',
      'github:owner:halcyon-logistics', 'github:owner_id:1']);
  });
});
