// Whether a side's table is the one copy-tables.ts describes: every listed
// column present with a type that converts (column-values.ts), and no column
// the list does not know, which the copy would otherwise drop silently.
import type { Backend } from './copy-side.js';
import type { ColumnType, CopyTable } from './copy-tables.js';

/** Declared types each portable type is read from and written to. */
const FITTING_TYPES: Readonly<Record<Backend, Readonly<Record<ColumnType, readonly string[]>>>> = {
  sqlite: { text: ['text'], integer: ['integer'], real: ['real'], json: ['text'], bytes: ['blob'], boolean: ['integer'] },
  postgres: {
    text: ['text', 'character varying'],
    integer: ['integer', 'bigint', 'smallint'],
    real: ['double precision', 'real'],
    json: ['jsonb', 'json'],
    bytes: ['bytea'],
    boolean: ['boolean'],
  },
};

/** What is wrong with the table as the side has it (empty: it fits). */
export function columnProblems(backend: Backend, table: CopyTable, columns: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const c of table.columns) {
    const declared = columns.get(c.name);
    if (declared === undefined) problems.push(`has no column ${c.name}`);
    else if (!FITTING_TYPES[backend][c.type].includes(declared)) problems.push(`column ${c.name} is ${declared}, not a ${c.type} column`);
  }
  const known = new Set([...table.columns.map((c) => c.name), ...(table.targetNumbered ? [table.targetNumbered.name] : [])]);
  for (const name of columns.keys()) {
    if (!known.has(name)) problems.push(`has a column ${name} that copy does not know (add it to src/store/copy/copy-tables.ts)`);
  }
  return problems;
}
