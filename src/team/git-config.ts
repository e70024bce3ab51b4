import { driverName } from './git-attributes.js';

// The `git config` entries that define secretrun's drivers for git:
//
//   merge.secretrun.name     = secretrun store merge (secret by secret)
//   merge.secretrun.driver   = secretrun merge-driver %O %A %B %P
//   diff.secretrun.textconv  = secretrun git textconv
//
// %O, %A and %B are temp files holding the merge base, ours (where the result goes) and
// theirs; %P is the store's path in the repository, for messages. Pure.

// One `git config` entry.
export interface GitConfigEntry {
  key: string;
  value: string;
}

// The entries for drivers run as `command`: a shell fragment git runs as it is (`secretrun`, or
// `npx secretrun`, or the absolute path of bin/secretrun.cjs when secretrun is not on git's
// PATH).
export function renderDriverConfig(command: string): GitConfigEntry[] {
  return [
    { key: `merge.${driverName}.name`, value: 'secretrun store merge (secret by secret)' },
    { key: `merge.${driverName}.driver`, value: `${command} merge-driver %O %A %B %P` },
    { key: `diff.${driverName}.textconv`, value: `${command} git textconv` },
  ];
}
