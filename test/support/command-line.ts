/**
 * A documented shell line split into words as a POSIX shell would for the simple lines docs hold:
 * single and double quotes, and an unquoted `#` starting a comment. Pipes, variables and
 * redirections are not shell the docs use, and are refused rather than misread.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '#' && word === undefined) break;
    else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('|<>$;`'.includes(c)) throw new Error(`a documented command uses shell syntax "${c}": ${line}`);
    else word = (word ?? '') + c;
  }
  if (quote) throw new Error(`unclosed quote in: ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}
