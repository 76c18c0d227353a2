/**
 * Docs that run: every command line and TypeScript example in README.md and docs/*.md is executed.
 * Command lines (`netsat ...`, `npx netsat ...`, `node dist/cli.js ...`) run, in page order, against
 * a fresh build of the CLI in a scratch folder holding the files they name (net.json, model.onnx);
 * paths into the repository (rules/, examples/) are read from it. The TypeScript blocks of a page
 * form one module, importing 'netsat' as a user does (mapped to src/index.ts, the public face only):
 * type-checked, then run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNetworkFile } from '../../src/io/network-file.js';
import { zooNetwork } from '../../src/zoo/catalog.js';
import { buildCli, packageRoot, scratchDir } from '../support/built-cli.js';
import { shellWords } from '../support/command-line.js';
import { codeBlocks } from '../support/markdown-blocks.js';

const root = packageRoot;
const modules = join(scratchDir, 'docs-examples');
let cli = '';
const PAGES = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

const CLI_PREFIXES = [['netsat'], ['npx', 'netsat'], ['node', 'dist/cli.js']];
/** Arguments naming files of the repository, read from it rather than from the scratch folder. */
const REPO_PATH = /^(rules|examples)\//;
/**
 * The same command on less work: the README checks every shipped rule at 200 instances per direction
 * with onnxruntime on each (a minute and a half); what is tested here is that the line runs.
 */
const QUICKER: Record<string, string[]> = { 'check-rules': ['--instances', '20', '--ort', '2'] };

interface DocCommand {
  readonly where: string;
  readonly args: string[];
}

function cliArgs(words: readonly string[]): string[] | undefined {
  const prefix = CLI_PREFIXES.find((p) => p.every((w, i) => words[i] === w));
  return prefix && words.slice(prefix.length);
}

/** Expands a `*` in a repository path's last part, as the shell would. */
function repoPath(arg: string): string[] {
  if (!arg.includes('*')) return [join(root, arg)];
  const pattern = new RegExp(`^${basename(arg).replaceAll('.', '\\.').replaceAll('*', '.*')}$`);
  return readdirSync(join(root, dirname(arg)))
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => join(root, dirname(arg), f));
}

/**
 * The command lines of a page. In an `sh` block every line is one (npm lines, which install or run
 * the suite itself, are left to the README's own check); an unlabeled block of rule text may hold
 * none, but a command there would escape the test, so it must be labeled sh.
 */
function pageCommands(page: string): DocCommand[] {
  const commands: DocCommand[] = [];
  for (const block of codeBlocks(readFileSync(join(root, page), 'utf8'))) {
    if (!['sh', ''].includes(block.lang)) continue;
    block.text.split('\n').forEach((line, i) => {
      const where = `${page}:${block.line + 1 + i}`;
      const text = line.trim();
      if (text === '' || text.startsWith('#') || (block.lang === 'sh' && text.startsWith('npm '))) return;
      const looksLikeCommand = /^(netsat|npx|node|npm) /.test(text);
      if (block.lang === '' && !looksLikeCommand) return;
      if (block.lang === '') throw new Error(`${where}: a command in an unlabeled block; label the block sh so that it is run`);
      const args = cliArgs(shellWords(text));
      if (!args) throw new Error(`${where}: "${text}" is not a netsat command line (netsat, npx netsat or node dist/cli.js)`);
      commands.push({ where, args: args.flatMap((a) => (REPO_PATH.test(a) ? repoPath(a) : [a])).concat(QUICKER[args[0]!] ?? []) });
    });
  }
  return commands;
}

/** The TypeScript blocks of a page as one module, or undefined when it has none. */
function pageModule(page: string): string | undefined {
  const blocks = codeBlocks(readFileSync(join(root, page), 'utf8')).filter((b) => b.lang === 'ts');
  return blocks.length ? `${blocks.map((b) => `// ${page}:${b.line}\n${b.text}`).join('\n\n')}\n` : undefined;
}

/** A scratch folder with the files the docs' examples name. */
function fixtures(page: string): string {
  const dir = mkdtempSync(join(tmpdir(), `netsat-docs-${basename(page, '.md')}-`));
  writeFileSync(join(dir, 'net.json'), JSON.stringify(zooNetwork('gpt2').toJSON()));
  writeNetworkFile(join(dir, 'model.onnx'), { network: zooNetwork('gpt2') }, { target: 'onnx' });
  return dir;
}

const moduleFile = (page: string) => join(modules, `${page.replace(/[/.]/g, '-')}.ts`);

beforeAll(() => {
  cli = buildCli('docs-cli');
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(modules, { recursive: true });
  // 'netsat' is the package's public face; unused locals are fine in an example that shows a value.
  const paths = { netsat: ['../../src/index.ts'] };
  // Incremental, with its record beside the modules (kept across runs): a rerun checks only what changed.
  const compilerOptions = { noEmit: true, noUnusedLocals: false, rootDir: '../..', paths, incremental: true, tsBuildInfoFile: '../docs-examples.tsbuildinfo' };
  writeFileSync(join(modules, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', compilerOptions, include: ['*.ts'] }));
  for (const page of PAGES) {
    const code = pageModule(page);
    if (code) writeFileSync(moduleFile(page), code);
  }
}, 120_000);

describe.each(PAGES.filter((p) => pageCommands(p).length > 0))('the command lines of %s', (page) => {
  let cwd: string;
  beforeAll(() => void (cwd = fixtures(page)));
  // In page order: a line may read what an earlier one wrote (explain reads optimize's output).
  it.each(pageCommands(page).map((c) => [c.where, c] as const))('%s', (_where, command) => {
    const r = spawnSync(process.execPath, [cli, ...command.args], { cwd, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status, `netsat ${command.args.join(' ')}\n${r.stderr}`).toBe(0);
  });
});

describe('the TypeScript examples', () => {
  const pages = PAGES.filter((p) => pageModule(p) !== undefined);

  it('import only the package name, never a path into src/', () => {
    for (const page of pages) expect(pageModule(page), page).not.toMatch(/from '\.{1,2}\//);
  });

  it('type-check against the public exports', () => {
    const r = spawnSync('npx', ['tsc', '-p', join(modules, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
    expect(r.stdout + r.stderr).not.toMatch(/error TS/);
    expect(r.status).toBe(0);
  });

  it.each(pages)('%s runs', (page) => {
    const env = { ...process.env, TSX_TSCONFIG_PATH: join(modules, 'tsconfig.json') };
    const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href; // the scratch folder has no node_modules
    const r = spawnSync(process.execPath, ['--import', tsx, moduleFile(page)], { cwd: fixtures(page), encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
  });
});
