import type { DatabaseKind } from './plugin-catalog.js';

// Splits SQL text into statements at the semicolons that end them. Vault splits a role's
// statements on every `;` (strings.Split), which breaks a string literal, a quoted identifier or
// a PostgreSQL function body holding one (its PostgreSQL plugin falls back to running the whole
// text when it sees the word END). This splitter gives the same pieces wherever Vault's split is
// right, and keeps quoted text and dollar-quoted bodies whole where Vault's would break them.

interface Quote {
  /** What opens the quoted span at this position, and where it ends. */
  end(text: string, at: number): number;
}

// A quoted span `q…q` where a doubled quote is an escaped one; `backslash` also lets `\q` escape.
function delimited(quote: string, backslash: boolean): Quote {
  return {
    end(text, at) {
      let i = at + 1;
      while (i < text.length) {
        const char = text[i];
        if (backslash && char === '\\') i += 2;
        else if (char === quote && text[i + 1] === quote) i += 2;
        else if (char === quote) return i + 1;
        else i += 1;
      }
      return text.length;
    },
  };
}

// `-- …` to the end of the line (MySQL's `#` too).
const lineComment: Quote = {
  end(text, at) {
    const newline = text.indexOf('\n', at);
    return newline === -1 ? text.length : newline + 1;
  },
};

// `/* … */`; PostgreSQL nests them, MySQL does not.
function blockComment(nested: boolean): Quote {
  return {
    end(text, at) {
      let depth = 0;
      let i = at;
      while (i < text.length) {
        if (text.startsWith('/*', i) && (nested || depth === 0)) {
          depth += 1;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          depth -= 1;
          i += 2;
          if (depth === 0) return i;
        } else {
          i += 1;
        }
      }
      return text.length;
    },
  };
}

// The span starting at `at` that a `;` cannot end, if one starts there, and whether it is a comment.
function spanAt(text: string, at: number, kind: DatabaseKind): { end: number; comment: boolean } | undefined {
  const char = text[at];
  const next = text[at + 1];
  if (char === '-' && next === '-') return { end: lineComment.end(text, at), comment: true };
  if (char === '/' && next === '*') return { end: blockComment(kind === 'postgresql').end(text, at), comment: true };
  if (kind === 'mysql') {
    if (char === '#') return { end: lineComment.end(text, at), comment: true };
    if (char === "'" || char === '"') return { end: delimited(char, true).end(text, at), comment: false };
    if (char === '`') return { end: delimited('`', false).end(text, at), comment: false };
    return undefined;
  }
  if (char === '"') return { end: delimited('"', false).end(text, at), comment: false };
  if (char === "'") {
    // E'…' strings take backslash escapes; standard strings do not.
    const escaped = /[eE]/.test(text[at - 1] ?? '') && !/[\w$]/.test(text[at - 2] ?? '');
    return { end: delimited("'", escaped).end(text, at), comment: false };
  }
  if (char === '$' && !/[\w$]/.test(text[at - 1] ?? '')) {
    const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(at))?.[0];
    if (tag !== undefined) {
      const close = text.indexOf(tag, at + tag.length);
      return { end: close === -1 ? text.length : close + tag.length, comment: false };
    }
  }
  return undefined;
}

// The statements in `text`, trimmed, without the empty ones and the ones made only of comments.
export function splitSql(text: string, kind: DatabaseKind): string[] {
  const statements: string[] = [];
  let start = 0;
  let hasCode = false;
  const finish = (end: number): void => {
    const statement = text.slice(start, end).trim();
    if (hasCode && statement !== '') statements.push(statement);
    hasCode = false;
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (char === ';') {
      finish(i);
      i += 1;
      start = i;
      continue;
    }
    const span = spanAt(text, i, kind);
    if (span) {
      if (!span.comment) hasCode = true;
      i = span.end;
      continue;
    }
    if (!/\s/.test(char)) hasCode = true;
    i += 1;
  }
  finish(text.length);
  return statements;
}
