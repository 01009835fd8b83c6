// `nhi-census completion bash|zsh|fish`: prints a shell completion script generated from the command tree.
import { Argument, type Command } from 'commander';
import { completionTree } from './completion-model.ts';
import { completionScript, SHELLS, type Shell } from './completion-scripts.ts';
import { out } from './common.ts';

export function registerCompletion(program: Command): void {
  program.command('completion')
    .description('print a shell completion script (commands, options and their values, from this version\'s command tree)')
    .addArgument(new Argument('<shell>', 'bash | zsh | fish').choices(SHELLS))
    .addHelpText('after', '\nExamples:\n  source <(nhi-census completion bash)          # bash, this shell\n  nhi-census completion zsh > "${fpath[1]}/_nhi-census"\n  nhi-census completion fish > ~/.config/fish/completions/nhi-census.fish')
    .action((shell: Shell) => { out(completionScript(completionTree(program), shell)); });
}
