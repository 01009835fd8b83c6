// `nhi-census completion bash|zsh|fish`: the scripts name every command and option of the command tree
// (read here straight from commander, independently of the generator), and bash's completes as expected.
import { spawnSync } from 'node:child_process';
import { Option, type Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { buildProgram, main } from '../../src/cli/main.ts';
import { completionTree } from '../../src/cli/completion-model.ts';
import { completionScript } from '../../src/cli/completion-scripts.ts';

async function script(shell: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try { return { code: await main(['node', 'nhi-census', 'completion', shell]), stdout }; } finally { o.mockRestore(); e.mockRestore(); process.exitCode = undefined; }
}

/** Every command below the program, with its path and its own options (commander's own view; hidden ones left out). */
function commandsOf(cmd: Command, path: string[] = []): Array<{ path: string[]; options: readonly Option[] }> {
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden)
    .flatMap((c) => [{ path: [...path, c.name()], options: c.options.filter((o) => !o.hidden) }, ...commandsOf(c, [...path, c.name()])]);
}

/** Completions bash offers for a command line; the last word is the one being completed. */
function bashComplete(src: string, words: string[]): string[] {
  const arr = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${src}\nCOMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _nhi_census; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  const program = buildProgram();
  const commands = commandsOf(program);

  it.each(['bash', 'zsh', 'fish'])('the %s script names every command and every option in the tree', async (shell) => {
    const { code, stdout } = await script(shell);
    expect(code).toBe(0);
    expect(commands.length).toBeGreaterThan(12);
    for (const c of commands) {
      const key = c.path.join(' ');
      if (shell === 'fish') {
        const inside = c.path.map((p) => `__fish_seen_subcommand_from ${p}`).join('; and ');
        expect(stdout, key).toContain(`-a '${c.path.at(-1)}'`);
        const lines = stdout.split('\n').filter((l) => l.includes(`-n '${inside}'`) && !l.includes(`${inside}; and`));
        for (const o of c.options) {
          if (o.long) expect(lines.some((l) => l.includes(` -l ${o.long!.slice(2)}`)), `${key} ${o.long}`).toBe(true);
          if (o.short) expect(lines.some((l) => l.includes(` -s ${o.short!.slice(1)}`)), `${key} ${o.short}`).toBe(true);
        }
      } else {
        const line = stdout.split('\n').find((l) => l.startsWith(`    '${key}') echo '-`));
        expect(line, `options line for ${key}`).toBeDefined();
        const words = line!.replace(/^.*echo '|' ;;$/g, '').split(' ');
        for (const o of c.options) for (const f of [o.short, o.long].filter(Boolean)) expect(words, `${key} ${f}`).toContain(f);
        expect(words, key).toContain('--help');
        if (c.path.length > 1) expect(stdout).toMatch(new RegExp(`'${c.path.slice(0, -1).join(' ')}'\\) echo '[^']*\\b${c.path.at(-1)}\\b`));
      }
    }
  });

  it('bash: sourced, the completion function offers commands, sub-commands, options and declared choices', async () => {
    const { stdout: src } = await script('bash');
    const top = commands.filter((c) => c.path.length === 1).map((c) => c.path[0]);
    expect(bashComplete(src, ['nhi-census', ''])).toEqual([...top, 'help']);
    expect(bashComplete(src, ['nhi-census', 'cr'])).toEqual(['crawl']);
    expect(bashComplete(src, ['nhi-census', 'db', ''])).toEqual(['backup', 'reset-state', 'info', 'copy', 'grant', 'help']);
    expect(bashComplete(src, ['nhi-census', '--log-level', 'warn', 'db', 'reset-state', '--'])).toEqual(expect.arrayContaining(['--provider', '--db', '--wait', '--log-format']));
    expect(bashComplete(src, ['nhi-census', 'query', '--log-format', ''])).toEqual(['json', 'text']);
    expect(bashComplete(src, ['nhi-census', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    // after an option that takes a value, the next word is that value, not a sub-command
    expect(bashComplete(src, ['nhi-census', 'inventory', 'draft', '--out', 'db', '--f'])).toEqual(['--force']);
  });

  it('a command added to the tree completes without touching the generator', () => {
    const p = buildProgram();
    p.command('frobnicate').description('test only').option('--flavour <f>', 'x').addOption(new Option('--colour <c>', 'y').choices(['red', 'blue']));
    const src = completionScript(completionTree(p), 'bash');
    expect(bashComplete(src, ['nhi-census', 'frob'])).toEqual(['frobnicate']);
    expect(bashComplete(src, ['nhi-census', 'frobnicate', '--colour', ''])).toEqual(['red', 'blue']);
    expect(completionScript(completionTree(p), 'fish')).toContain("-l colour -x -a 'red blue'");
    expect(completionScript(completionTree(p), 'zsh')).toContain("'frobnicate:test only'");
  });

  it('an unknown shell is a usage error (exit 2)', async () => {
    expect((await script('tcsh')).code).toBe(2);
  });
});
