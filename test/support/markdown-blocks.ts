/** The fenced code blocks of a markdown page, with their language and line, for tests that run the docs. */
export interface CodeBlock {
  /** The info string after the opening fence ('' when none): 'sh', 'ts', ... */
  readonly lang: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
  readonly text: string;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { lang: string; line: number; lines: string[] } | undefined;
  markdown.split('\n').forEach((line, i) => {
    const fence = /^```(\S*)\s*$/.exec(line);
    if (!open && fence) open = { lang: fence[1]!, line: i + 1, lines: [] };
    else if (open && fence && fence[1] === '') {
      blocks.push({ lang: open.lang, line: open.line, text: open.lines.join('\n') });
      open = undefined;
    } else open?.lines.push(line);
  });
  return blocks;
}
