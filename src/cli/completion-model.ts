// The command tree as shell completion sees it, read from commander (the same source as --help): every
// visible sub-command with its options — which take a value, and the values when declared with choices — and
// the choices of its first argument. Nothing here is maintained by hand, so a new command or option completes.
import type { Command, Option } from 'commander';

export interface CompletionOption {
  flags: string[]; takesValue: boolean; choices?: string[]; description: string;
  global?: boolean;          // the program's option, repeated under each sub-command (commander accepts it there)
}
export interface CompletionCommand {
  path: string[];            // [] for the program itself, ['db', 'backup'] for `nhi-census db backup`
  description: string;
  options: CompletionOption[];
  subcommands: CompletionCommand[];
  argChoices?: string[];     // the first argument's declared values (`completion <shell>`, `help [command]`)
  takesArguments: boolean;   // positional arguments (a file name, SQL...): shells offer files where no choices are declared
}

export function completionTree(program: Command): CompletionCommand {
  const help = program.createHelp();
  const globals = help.visibleOptions(program).filter((o) => o.long !== '--help' && o !== versionOption(program))
    .map((o) => ({ ...toOption(o), global: true }));
  const walk = (cmd: Command, path: string[], parent?: Command): CompletionCommand => {
    const subs = help.visibleCommands(cmd);
    const own = help.visibleOptions(cmd).map(toOption);
    const options = path.length ? [...own, ...globals.filter((g) => !own.some((o) => o.flags.some((f) => g.flags.includes(f))))] : own;
    const first = cmd.registeredArguments[0];
    // commander's implicit `help [command]` completes its siblings' names
    const argChoices = first?.argChoices ?? (parent && cmd.name() === 'help' && !cmd.commands.length
      ? help.visibleCommands(parent).map((c) => c.name()).filter((n) => n !== 'help') : undefined);
    return {
      path, description: cmd.description(), options, takesArguments: cmd.registeredArguments.length > 0 || Boolean(argChoices),
      subcommands: subs.map((s) => walk(s, [...path, s.name()], cmd)),
      ...(argChoices ? { argChoices: [...argChoices] } : {}),
    };
  };
  return walk(program, []);
}

/** Every command of the tree, the program first, parents before children. */
export function allCommands(root: CompletionCommand): CompletionCommand[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}

function versionOption(program: Command): Option | undefined {
  return program.options.find((o) => o.long === '--version');
}

function toOption(o: Option): CompletionOption {
  return {
    flags: [o.short, o.long].filter((f): f is string => Boolean(f)),
    takesValue: o.required || o.optional,
    ...(o.argChoices ? { choices: [...o.argChoices] } : {}),
    description: o.description,
  };
}
