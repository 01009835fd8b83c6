// Issue 15 item 15: the risk catalogue the rules cite lives in the project (docs/risk-catalogue.md, cited from
// docs/reconcile.md, naming every rule), and its per-provider grading data lives beside each connector
// (connectors/<p>/catalogue.ts, registered through the ProviderSpec), so no code under src/ names a provider.
// The catalogue is usable without loading any connector: `reconcile` does not pay for the providers' SDKs.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allProviders } from '../../src/crawl/provider.ts';
import { credentialPolicy, gradeScope, registeredCatalogues } from '../../src/catalogue/index.ts';
import { RULES } from '../../src/reconcile/rules/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const PROVIDER_WORD = /(?<![a-z])(?:[Gg]it[Hh]ub|GITHUB|[Ss]lack|SLACK|[Gg]oogle(?:apis)?|GOOGLE|[Aa]zure|AZURE|[Ee]ntra|ENTRA|[Gg]cp|GCP)(?![a-z])/;

/**
 * Places in src/ that still name a provider on purpose, each with its reason. Nothing else may.
 * - the inventory format's match-rule vocabulary (`match: { github: { app_slug } }`) is what users write in YAML;
 * - Slack as an *alert channel* (src/notify, config `alerts.slack`) is one of the tool's own outputs, not a crawled provider;
 * - GitHub Actions as a place to schedule runs (a pointer to the recipes in docs/operations.md);
 * - SQL comments in released migrations, which are never edited (an example match rule; the alert channel names).
 */
const ALLOWED: Record<string, RegExp> = {
  'src/inventory/match-keys.ts': /./,
  'src/notify/slack.ts': /./,
  'src/notify/index.ts': /^(slack|slackPayload|'slack'|'\.\/slack\.ts'|'slack webhook URL'|'slack webhook')$/,
  'src/config/config.ts': /^slack$/,
  'src/graph/migrations/003-findings.ts': /-- e\.g\. 'github\.app_slug'/,
  'src/graph/migrations/006-operations.ts': /-- 'slack', 'webhook', 'email'/,
  'src/cli/run.ts': /GitHub Actions\): docs\/operations\.md/,
};

function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = path.join(dir, d.name);
    return d.isDirectory() ? tsFiles(rel) : d.name.endsWith('.ts') ? [rel] : [];
  });
}

/** The code tokens of a TypeScript file (comments are trivia and never tokens). */
function codeTokens(file: string): string[] {
  const sf = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const walk = (n: ts.Node) => {
    if (n.kind >= ts.SyntaxKind.FirstJSDocNode && n.kind <= ts.SyntaxKind.LastJSDocNode) return; // doc comments
    const kids = n.getChildren(sf);
    if (kids.length === 0) { if (n.kind !== ts.SyntaxKind.EndOfFileToken) out.push(n.getText(sf)); return; }
    kids.forEach(walk);
  };
  walk(sf);
  return out;
}

describe('the risk catalogue is inside the project', () => {
  it('no code under src/ names a provider (comments may), beyond the listed exceptions', () => {
    const offending: string[] = [];
    for (const f of tsFiles('src')) {
      const allowed = ALLOWED[f];
      for (const tok of codeTokens(f)) if (PROVIDER_WORD.test(tok) && !(allowed && allowed.test(tok))) offending.push(`${f}: ${tok}`);
    }
    expect(offending).toEqual([]);
  });

  it('the catalogue data sits beside each connector and is registered through its ProviderSpec', async () => {
    const connectors = fs.readdirSync(path.join(ROOT, 'connectors'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(ROOT, 'connectors', d.name, 'index.ts'))).map((d) => d.name).sort();
    expect(connectors.length).toBeGreaterThanOrEqual(4);
    for (const p of connectors) {
      expect(fs.existsSync(path.join(ROOT, 'connectors', p, 'catalogue.ts')), p).toBe(true);
      expect(read(`connectors/${p}/index.ts`), p).toMatch(/catalogue:/);
    }
    expect(fs.existsSync(path.join(ROOT, 'src/catalogue/github.ts'))).toBe(false);
    expect(registeredCatalogues().map((c) => c.provider).sort()).toEqual(connectors);
    // graded without any connector (SDK) loaded: what `reconcile` does
    expect(allProviders()).toEqual([]);
    expect(gradeScope('github', 'organization_administration:write')).toMatchObject({ severity: 'critical', known: true });
    expect(credentialPolicy('client_secret').alternative).toMatch(/federated/);
    // loading the connectors registers the same catalogues through their specs
    const { loadConnectors } = await import('../../src/crawl/load-connectors.ts');
    for (const spec of await loadConnectors()) expect(spec.catalogue, spec.name).toBe(registeredCatalogues().find((c) => c.provider === spec.name));
  });

  it('docs/reconcile.md cites docs/risk-catalogue.md and nothing outside the repository', () => {
    const reconcile = read('docs/reconcile.md');
    expect(reconcile).toMatch(/\]\(risk-catalogue\.md/);
    expect(reconcile).not.toMatch(/shared\/reference/);
    expect(reconcile).not.toMatch(/(?<!\w)risk-catalogue §/);
    for (const f of [...tsFiles('src'), ...tsFiles('connectors'), ...tsFiles('reports')]) {
      // sections of an outside catalogue, or its rule ids (NHI-LONG-LIVED-SECRET …), mean nothing to a reader of this repository
      expect(read(f), f).not.toMatch(/shared\/reference|(?<![\w/.])risk-catalogue(\.md)? ?§|risk catalogue NHI-/);
    }
  });

  it('docs/risk-catalogue.md names every rule with its rationale, thresholds and framework references', () => {
    const doc = read('docs/risk-catalogue.md');
    for (const r of RULES) {
      const section = doc.split(/^### /m).find((s) => s.startsWith(`\`${r.id}\``));
      expect(section, r.id).toBeDefined();
      for (const id of [...r.owasp, ...r.nist]) expect(section, `${r.id} cites ${id}`).toContain(id);
      expect(section!, r.id).toMatch(/\*\*Why\*\*/);
      expect(section!, r.id).toMatch(/\*\*Threshold/);
    }
    expect(doc).toMatch(/^## (\d+\. )?Sources$/m);
    expect(doc).not.toMatch(/shared\/reference/);
  });

  it('docs/risk-catalogue.md lists every permission string the catalogue grades', () => {
    const doc = read('docs/risk-catalogue.md');
    const missing: string[] = [];
    for (const c of registeredCatalogues()) {
      for (const [name] of Object.entries(c.scopes)) {
        if (/^[0-9a-f]{8}-/.test(name) || name.endsWith(' (delegated)')) continue; // GUID aliases; delegated rows are listed by name in §5.7
        if (!doc.includes(`\`${name}\``)) missing.push(`${c.provider}: ${name}`);
      }
      expect(c.source, c.provider).toMatch(/^docs\/risk-catalogue\.md §5/);
    }
    expect(missing).toEqual([]);
  });
});
