// The phrases of an FTS5 MATCH expression, each as a MATCH expression of its
// own (with its column filter and prefix star), in the order FTS5 numbers
// them. paperboy_bm25() takes one document count per phrase in that order.
// A phrase is `negated` when it sits on the right of a NOT: a paper holding
// it is excluded, so it can never be what makes a paper match.
//
// Only the subset of the FTS5 query syntax that search/fts-query.ts writes is
// understood: "strings" (optionally followed by *), AND / OR / NOT,
// parentheses and `column : (...)` or `column : "string"`. For anything else
// (barewords, NEAR, ^, +, {column sets}, nested column filters) the answer is
// null and the caller ranks with FTS5's own bm25().

type Token = { kind: 'string'; text: string } | { kind: 'word'; text: string } | { kind: '(' | ')' | ':' | '*' };

const OPERATORS = new Set(['AND', 'OR', 'NOT']);

function tokenise(expr: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        const close = expr.indexOf('"', j);
        if (close === -1) return null;
        if (expr[close + 1] === '"') j = close + 2;
        else {
          j = close + 1;
          break;
        }
      }
      out.push({ kind: 'string', text: expr.slice(i, j) });
      i = j;
    } else if (c === '(' || c === ')' || c === ':' || c === '*') {
      out.push({ kind: c });
      i++;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expr.slice(i));
      if (!m) return null;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

export interface FtsPhrase {
  text: string;
  negated: boolean;
}

export function ftsPhrases(expr: string): string[] | null {
  return ftsPhraseList(expr)?.map((p) => p.text) ?? null;
}

export function ftsPhraseList(expr: string): FtsPhrase[] | null {
  const tokens = tokenise(expr);
  if (tokens === null) return null;
  const phrases: FtsPhrase[] = [];
  // The column filter in force: for the next phrase only, or until the parenthesis at columnDepth closes.
  let column: string | null = null;
  let columnForOne = false;
  let columnDepth = -1;
  let depth = 0;
  // NOT applies to the next phrase or parenthesised group: notPending until it starts, then negatedAbove = the depth it opened at.
  let notPending = false;
  let negatedAbove: number | null = null;
  const open = () => {
    if (notPending && negatedAbove === null) negatedAbove = depth;
    notPending = false;
    depth++;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'string') {
      const star = tokens[i + 1]?.kind === '*';
      if (star) i++;
      phrases.push({ text: `${column === null ? '' : `${column} : `}${t.text}${star ? ' *' : ''}`, negated: notPending || negatedAbove !== null });
      notPending = false;
      if (columnForOne) {
        column = null;
        columnForOne = false;
      }
    } else if (t.kind === 'word') {
      if (OPERATORS.has(t.text)) {
        if (t.text === 'NOT') notPending = true;
        continue;
      }
      if (tokens[i + 1]?.kind !== ':' || column !== null) return null; // a bareword phrase, or a nested column filter
      column = t.text;
      i++;
      const next = tokens[i + 1];
      if (next?.kind === '(') {
        open();
        columnDepth = depth;
        i++;
      } else if (next?.kind === 'string') {
        columnForOne = true;
      } else {
        return null;
      }
    } else if (t.kind === '(') {
      open();
    } else if (t.kind === ')') {
      if (column !== null && !columnForOne && columnDepth === depth) column = null;
      depth--;
      if (depth < 0) return null;
      if (negatedAbove === depth) negatedAbove = null;
    } else {
      return null; // a stray ':' or '*'
    }
  }
  return depth === 0 ? phrases : null;
}

/** Whether the expression has an OR anywhere (null when it cannot be read). Without one, every matching paper holds every phrase that is not negated. */
export function ftsUsesOr(expr: string): boolean | null {
  const tokens = tokenise(expr);
  return tokens === null ? null : tokens.some((t) => t.kind === 'word' && t.text === 'OR');
}

/**
 * The alternatives of an expression that is one OR group of phrases (the
 * natural-language queries of search/fts-query.ts: ("a" OR "b" OR "c")),
 * possibly in more parentheses and followed by NOT clauses (exclusions), each
 * as a MATCH expression of its own, in order. Every paper the expression
 * matches holds at least one of them, and needs nothing else. Null for any
 * other shape.
 */
export function ftsAlternatives(expr: string): string[] | null {
  const tokens = tokenise(expr);
  if (tokens === null) return null;
  let i = 0;
  const isWord = (text: string) => {
    const t = tokens[i];
    return t?.kind === 'word' && t.text === text;
  };
  const phrase = (): string | null => {
    const t = tokens[i];
    if (t?.kind !== 'string') return null;
    i++;
    if (tokens[i]?.kind !== '*') return t.text;
    i++;
    return `${t.text} *`;
  };
  // group := '(' group ')' | '(' phrase (OR phrase)* ')'
  const group = (): string[] | null => {
    if (tokens[i]?.kind !== '(') return null;
    i++;
    let inner: string[] | null;
    if (tokens[i]?.kind === '(') {
      inner = group();
    } else {
      const first = phrase();
      inner = first === null ? null : [first];
      while (inner !== null && isWord('OR')) {
        i++;
        const next = phrase();
        inner = next === null ? null : [...inner, next];
      }
    }
    if (inner === null || tokens[i]?.kind !== ')') return null;
    i++;
    return inner;
  };
  const alternatives = group();
  if (alternatives === null) return null;
  // Then only NOT clauses: NOT and one parenthesised group, phrase or column filter each.
  while (i < tokens.length) {
    if (!isWord('NOT')) return null;
    i++;
    if (tokens[i]?.kind === 'word' && tokens[i + 1]?.kind === ':') i += 2;
    if (tokens[i]?.kind === 'string') {
      phrase();
    } else if (tokens[i]?.kind === '(') {
      let depth = 0;
      do {
        const kind = tokens[i]?.kind;
        if (kind === undefined) return null;
        if (kind === '(') depth++;
        if (kind === ')') depth--;
        i++;
      } while (depth > 0);
    } else {
      return null;
    }
  }
  return alternatives;
}
