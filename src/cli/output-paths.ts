/**
 * The check every command that writes runs before any work: no output may overwrite an input or
 * another output, and each output's folder must exist and be writable. A later output option is one
 * more entry in the list, so the rule cannot be forgotten flag by flag.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { NetsatError } from '../errors.js';

/** An output path that would lose data or could not be written. */
export class OutputPathError extends NetsatError {}

/** A file named on the command line, with the flag that named it (for the message). */
export interface NamedPath {
  readonly flag: string;
  readonly path: string;
}

/** An output that may replace an input when the user says so: `-o` over `<in>` with `--in-place`. */
export interface Overwrite {
  readonly output: string;
  readonly input: string;
  /** The flag that allows it, and whether it was given. */
  readonly flag: string;
  readonly given: boolean;
}

export interface OutputPlan {
  readonly inputs: readonly NamedPath[];
  readonly outputs: readonly NamedPath[];
  readonly overwrites?: readonly Overwrite[];
}

/**
 * One identity per file: device and inode for a file that exists (so symlinks and hard links to the
 * same bytes compare equal), else the real path of its folder plus its name.
 */
function identity(p: NamedPath): string {
  const stat = statSync(p.path, { throwIfNoEntry: false });
  if (stat) return `inode ${stat.dev}:${stat.ino}`;
  return `path ${resolve(realFolder(p), basename(p.path))}`;
}

function realFolder(p: NamedPath): string {
  try {
    return realpathSync(dirname(resolve(p.path)));
  } catch {
    throw new OutputPathError(`the folder of ${p.path} does not exist`, { where: p.flag, hint: `create ${dirname(resolve(p.path))} first, or write somewhere else` });
  }
}

/** An output must be a file in an existing, writable folder. */
function checkWritable(p: NamedPath): void {
  const folder = realFolder(p);
  if (statSync(p.path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new OutputPathError(`${p.path} is a folder, not a file`, { where: p.flag, hint: `name a file inside it, e.g. ${p.path}/out` });
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new OutputPathError(`cannot write into the folder ${folder}`, { where: p.flag, hint: 'choose a folder you can write to' });
  }
}

function clash(output: NamedPath, other: NamedPath, otherIsInput: boolean, overwrite: Overwrite | undefined): OutputPathError {
  const what = otherIsInput ? `the input file (${other.flag})` : `also the output of ${other.flag}`;
  const hint = overwrite ? `name another output file, or pass ${overwrite.flag} to overwrite the input` : `give ${output.flag} a file of its own`;
  return new OutputPathError(`the output ${output.path} is ${what}`, { where: output.flag, hint });
}

/** Throws an OutputPathError for the first output that clashes with an input or an earlier output, or cannot be written. */
export function checkOutputPaths(plan: OutputPlan): void {
  // An input that does not exist cannot be overwritten; reading it reports it missing.
  const inputs = plan.inputs.filter((p) => statSync(p.path, { throwIfNoEntry: false })).map((p) => ({ p, id: identity(p) }));
  const seen: { p: NamedPath; id: string }[] = [];
  for (const output of plan.outputs) {
    checkWritable(output);
    const id = identity(output);
    for (const input of inputs.filter((i) => i.id === id)) {
      const overwrite = plan.overwrites?.find((o) => o.output === output.flag && o.input === input.p.flag);
      if (!overwrite?.given) throw clash(output, input.p, true, overwrite);
    }
    const earlier = seen.find((s) => s.id === id);
    if (earlier) throw clash(output, earlier.p, false, undefined);
    seen.push({ p: output, id });
  }
}
