// The phrases of an FTS5 MATCH expression, each as a MATCH expression of its
// own (with its column filter and prefix star), in the order FTS5 numbers
// them. paperboy_bm25() takes one document count per phrase in that order.
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

export function ftsPhrases(expr: string): string[] | null {
  const tokens = tokenise(expr);
  if (tokens === null) return null;
  const phrases: string[] = [];
  // The column filter in force: for the next phrase only, or until the parenthesis at columnDepth closes.
  let column: string | null = null;
  let columnForOne = false;
  let columnDepth = -1;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'string') {
      const star = tokens[i + 1]?.kind === '*';
      if (star) i++;
      phrases.push(`${column === null ? '' : `${column} : `}${t.text}${star ? ' *' : ''}`);
      if (columnForOne) {
        column = null;
        columnForOne = false;
      }
    } else if (t.kind === 'word') {
      if (OPERATORS.has(t.text)) continue;
      if (tokens[i + 1]?.kind !== ':' || column !== null) return null; // a bareword phrase, or a nested column filter
      column = t.text;
      i++;
      const next = tokens[i + 1];
      if (next?.kind === '(') {
        depth++;
        columnDepth = depth;
        i++;
      } else if (next?.kind === 'string') {
        columnForOne = true;
      } else {
        return null;
      }
    } else if (t.kind === '(') {
      depth++;
    } else if (t.kind === ')') {
      if (column !== null && !columnForOne && columnDepth === depth) column = null;
      depth--;
      if (depth < 0) return null;
    } else {
      return null; // a stray ':' or '*'
    }
  }
  return depth === 0 ? phrases : null;
}
