// GitHub's connector-category catalogue: known GitHub Apps by slug (the installation's app_slug; the app's public page
// is https://github.com/apps/<slug>), each with what it is for and the public page that shows the slug. Only slugs
// verified in public material are listed (docs/reconcile.md "Connector categories"). Loaded on its own by commands
// that never crawl (src/categories/index.ts).
import type { ProviderCategories } from '../../src/categories/types.ts';

const app = (slug: string) => `https://github.com/apps/${slug}`;

const githubCategories: ProviderCategories = {
  provider: 'github',
  keyFields: ['app_slug'],
  key: 'GitHub App slug (github.com/apps/<slug>)',
  entries: [
    { product: 'Claude (Claude Code GitHub App)', publisher: 'Anthropic', category: 'coding-agent', id: 'claude', source: app('claude'),
      note: 'installed by Claude Code /install-github-app; answers @claude in issues and pull requests, pushes commits' },
    { product: 'Cursor (Cloud Agents, Bugbot)', publisher: 'Anysphere', category: 'coding-agent', id: 'cursor', source: app('cursor') },
    { product: 'ChatGPT Codex Connector', publisher: 'OpenAI', category: 'coding-agent', id: 'chatgpt-codex-connector', source: app('chatgpt-codex-connector') },
    { product: 'Copilot coding agent', publisher: 'GitHub', category: 'coding-agent', id: 'copilot-swe-agent', source: app('copilot-swe-agent') },
    { product: 'Devin.ai Integration', publisher: 'Cognition', category: 'coding-agent', id: 'devin-ai-integration', source: app('devin-ai-integration') },
    { product: 'CodeRabbit', publisher: 'CodeRabbit', category: 'coding-agent', id: 'coderabbitai', source: app('coderabbitai'),
      note: 'AI code review: comments on pull requests and commits suggested fixes' },
    { product: 'Vercel', publisher: 'Vercel', category: 'ci-cd', id: 'vercel', source: app('vercel') },
  ],
};
export default githubCategories;
