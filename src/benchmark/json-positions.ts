/**
 * JSON read with the position of every value, so a schema error can point at the offending key
 * (file:line:col) and not only name it. JSON.parse gives neither key positions nor, for every
 * syntax error, an offset.
 */

/** A syntax error at `offset` (0-based) of the text. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface PositionedJson {
  value: unknown;
  /** Offset of each value by path ('' the document, 'limits.nodes', 'rules[1]'): for object members the key's offset. */
  offsets: ReadonlyMap<string, number>;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\]|\\.)*"/y;
const LITERALS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['true', true],
  ['false', false],
  ['null', null],
]);

class Reader {
  pos = 0;
  readonly offsets = new Map<string, number>();
  constructor(readonly text: string) {}

  fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, at);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos]!)) this.pos++;
  }

  expect(char: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) this.fail(this.pos >= this.text.length ? `expected '${char}', the text ended` : `expected '${char}', found '${this.text[this.pos]}'`);
    this.pos++;
  }

  sticky(re: RegExp, what: string): string {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return this.fail(`invalid ${what}`);
    this.pos += m[0].length;
    return m[0];
  }

  /** A string literal; JSON.parse checks its escapes and refuses raw control characters. */
  string(): string {
    const at = this.pos;
    const literal = this.sticky(STRING, 'string');
    try {
      return JSON.parse(literal) as string;
    } catch {
      return this.fail('invalid string (a bad escape, or a control character not escaped)', at);
    }
  }

  value(path: string, recordAt?: number): unknown {
    this.skipSpace();
    this.offsets.set(path, recordAt ?? this.pos);
    const c = this.text[this.pos];
    if (c === undefined) return this.fail('expected a value, the text ended');
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return Number(this.sticky(NUMBER, 'number'));
    for (const [word, v] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail(`unexpected '${c}'`);
  }

  /** Items separated by commas until `close`; `item` reads one. */
  list(close: string, item: (index: number) => void): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === close) {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      item(i);
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else {
        this.expect(close);
        return;
      }
    }
  }

  object(path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.list('}', () => {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a key in double quotes');
      const at = this.pos;
      const key = this.string();
      this.expect(':');
      out[key] = this.value(path ? `${path}.${key}` : key, at);
    });
    return out;
  }

  array(path: string): unknown[] {
    const out: unknown[] = [];
    this.list(']', (i) => out.push(this.value(`${path}[${i}]`)));
    return out;
  }
}

/** Parses `text` as JSON; throws JsonSyntaxError with the offset of the first error. */
export function parseJsonWithPositions(text: string): PositionedJson {
  const reader = new Reader(text);
  const value = reader.value('');
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail(`unexpected '${text[reader.pos]}' after the value`);
  return { value, offsets: reader.offsets };
}

/** 'line:col' (both from 1) of `offset` in `text`. */
export function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}
