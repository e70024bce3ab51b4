import { SecretrunError } from '../../errors.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-args.js';
import { completionShells, renderCompletion, type CompletionCommand, type CompletionShell } from '../completion.js';
import type { FlagSpec } from '../flags.js';
import { commandEntries } from './registry.js';

const flags = [] as const satisfies readonly FlagSpec[];

// `completion bash|zsh|fish`: prints a completion script built from the command table.
export const completionCommand: Command = {
  name: 'completion',
  usage: 'secretrun completion bash|zsh|fish',
  description:
    'Prints a shell completion script for secretrun\'s commands and flags, generated from the same flag declarations the parser uses.\n\n  $ source <(secretrun completion bash)          # in ~/.bashrc\n  $ source <(secretrun completion zsh)           # in ~/.zshrc\n  $ secretrun completion fish > ~/.config/fish/completions/secretrun.fish',
  flags,
  async run(argv, context) {
    const { args } = parseCommandLine('completion', flags, argv, context, { min: 1, max: 1 });
    const shell = args[0] as string;
    if (!(completionShells as readonly string[]).includes(shell)) {
      throw new SecretrunError('usage', `unknown shell "${shell}": use bash, zsh or fish`);
    }
    const commands: CompletionCommand[] = [];
    for (const entry of commandEntries) {
      const command = await entry.load();
      commands.push({ name: entry.name, synopsis: entry.synopsis, flags: command.flags });
    }
    context.io.stdout.write(renderCompletion(shell as CompletionShell, commands));
    return 0;
  },
};
