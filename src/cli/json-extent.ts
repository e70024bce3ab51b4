import { maxJsonDepth } from '../json.js';

// Finds where the first JSON value in a text ends, or where and why the text stops being
// JSON. Go's json.Decoder reads one value and ignores what follows, and `@file.json` input
// must report a syntax error by position only: messages from JSON.parse quote the content.
// Nesting deeper than `maxDepth` is a problem too (see src/json.ts): the scanner
// itself recurses, and so does everything that would handle the value afterwards.

// Where a JSON syntax error is, without any of the text itself.
export interface JsonSyntaxProblem {
  /** 0-based offset in the text. */
  offset: number;
  line: number;
  column: number;
  reason: 'unexpected character' | 'unexpected end of input' | `nested deeper than ${number} levels`;
}

// The offset just past the first JSON value at or after `start` (leading white space
// allowed), or the problem found.
export function findJsonValueEnd(text: string, start = 0, maxDepth = maxJsonDepth): { end: number } | { problem: JsonSyntaxProblem } {
  const scanner = new Scanner(text, maxDepth);
  try {
    scanner.position = start;
    scanner.skipSpace();
    scanner.value();
    return { end: scanner.position };
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    const column = error.offset - before.lastIndexOf('\n');
    return { problem: { offset: error.offset, line, column, reason: error.reason } };
  }
}

class ScanError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: JsonSyntaxProblem['reason'],
  ) {
    super(reason);
  }
}

class Scanner {
  position = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  // Enters an object or array, failing at the bracket that goes one level too deep.
  private enter(): void {
    this.depth += 1;
    if (this.depth > this.maxDepth) throw new ScanError(this.position, `nested deeper than ${this.maxDepth} levels`);
  }

  private fail(): never {
    const end = this.position >= this.text.length;
    throw new ScanError(this.position, end ? 'unexpected end of input' : 'unexpected character');
  }

  skipSpace(): void {
    while (' \t\n\r'.includes(this.text[this.position] ?? 'x')) this.position += 1;
  }

  private expect(pattern: RegExp): void {
    pattern.lastIndex = this.position;
    const match = pattern.exec(this.text);
    if (match === null) {
      // Point at the first character that does not fit, as a decoder would.
      let i = 0;
      const literal = pattern.source.replace(/\\/g, '');
      while (this.text[this.position + i] === literal[i]) i += 1;
      this.position += i;
      this.fail();
    }
    this.position += match[0].length;
  }

  value(): void {
    const char = this.text[this.position];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    if (char === 't') return this.expect(/true/y);
    if (char === 'f') return this.expect(/false/y);
    if (char === 'n') return this.expect(/null/y);
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    this.fail();
  }

  private number(): void {
    const match = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
    match.lastIndex = this.position;
    const found = match.exec(this.text);
    if (found === null) {
      // A minus sign not followed by a digit: the offending character is the one after it.
      this.position += 1;
      this.fail();
    }
    this.position += found[0].length;
  }

  private string(): void {
    this.position += 1;
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined || char < ' ') this.fail();
      this.position += 1;
      if (char === '"') return;
      if (char === '\\') {
        const escape = this.text[this.position];
        if (escape === 'u') {
          this.position += 1;
          for (let i = 0; i < 4; i += 1) {
            if (!/[0-9a-fA-F]/.test(this.text[this.position] ?? '')) this.fail();
            this.position += 1;
          }
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) this.position += 1;
        else this.fail();
      }
    }
  }

  private array(): void {
    this.enter();
    this.position += 1;
    this.skipSpace();
    if (this.text[this.position] === ']') {
      this.position += 1;
      this.depth -= 1;
      return;
    }
    for (;;) {
      this.skipSpace();
      this.value();
      this.skipSpace();
      const char = this.text[this.position];
      this.position += 1;
      if (char === ']') {
        this.depth -= 1;
        return;
      }
      if (char !== ',') {
        this.position -= 1;
        this.fail();
      }
    }
  }

  private object(): void {
    this.enter();
    this.position += 1;
    this.skipSpace();
    if (this.text[this.position] === '}') {
      this.position += 1;
      this.depth -= 1;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] !== '"') this.fail();
      this.string();
      this.skipSpace();
      if (this.text[this.position] !== ':') this.fail();
      this.position += 1;
      this.skipSpace();
      this.value();
      this.skipSpace();
      const char = this.text[this.position];
      this.position += 1;
      if (char === '}') {
        this.depth -= 1;
        return;
      }
      if (char !== ',') {
        this.position -= 1;
        this.fail();
      }
    }
  }
}
