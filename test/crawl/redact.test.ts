// Secret masking: the core knows only issuer-neutral formats (JWTs, bearer tokens, private keys); each
// provider declares its own token formats in its spec, which every log line and error message then masks.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConnectors } from '../../src/crawl/load-connectors.ts';
import { registerProvider } from '../../src/crawl/provider.ts';
import { createLogger } from '../../src/util/log.ts';
import { redactSecrets, registerSecretPatterns } from '../../src/util/redact.ts';

describe('secret masking', () => {
  it("masks a provider's declared token format in every log line once the provider registers", () => {
    const lines: string[] = [];
    const log = createLogger({ format: 'json', write: (l) => lines.push(l) });
    log.info('before', { token: 'zzt_123456789012' });
    registerProvider({ name: 'zz', description: 'test', configSchema: z.object({}), tenants: () => [], resources: [],
      httpPolicy: { provider: 'zz', maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, classify: () => ({ retry: false }) }, createClient: () => ({}),
      secretPatterns: [/\bzzt_[0-9]{12}\b/g] });
    log.info('after', { token: 'zzt_123456789012' });
    expect(lines[0]).toContain('zzt_123456789012');
    expect(lines[1]).not.toContain('zzt_123456789012');
    expect(lines[1]).toContain('[REDACTED]');
  });

  it('the bundled connectors register their formats; the core ones always apply', async () => {
    await loadConnectors();
    for (const secret of ['ghp_abcdefghijklmnopqrstuvwxyz012345', 'github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz', 'xoxb-1234567890-abcdefghij',
      'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX', 'ya29.a0AfH6SMBxxxxxxxxxxxx', 'abc8Q~aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567',
      'Bearer abcdefghijklmnop', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig']) {
      expect(redactSecrets(`x ${secret} y`), secret).not.toContain(secret);
    }
  });

  it('refuses a pattern that is not global (it would mask only the first occurrence)', () => {
    expect(() => registerSecretPatterns([/zz-[0-9]+/])).toThrow(/must be global/);
  });
});
