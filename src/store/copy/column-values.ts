// Values on their way between backends, converted explicitly per column type.
// In between, a value is "portable": text a string, integer and real a number,
// json the parsed value, bytes a Buffer, boolean a boolean; null is null.
import type { ColumnType } from './copy-tables.js';

export type PortableValue = string | number | boolean | Buffer | null | PortableJson;
export type PortableJson = null | boolean | number | string | PortableJson[] | { [key: string]: PortableJson };
/** One row: its values in the table's column order. */
export type PortableRow = PortableValue[];

export class ColumnValueError extends Error {
  constructor(type: ColumnType, value: unknown, why: string) {
    super(`cannot read a ${type} value (${describe(value)}): ${why}`);
    this.name = 'ColumnValueError';
  }
}

function describe(value: unknown): string {
  if (Buffer.isBuffer(value)) return `${value.length} bytes`;
  const s = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

function toInteger(type: ColumnType, v: unknown): number {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new ColumnValueError(type, v, 'not an integer');
  return n;
}

function toReal(type: ColumnType, v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new ColumnValueError(type, v, 'not a number');
  return n;
}

function toText(type: ColumnType, v: unknown): string {
  if (typeof v !== 'string') throw new ColumnValueError(type, v, 'not text');
  return v;
}

function toBytes(type: ColumnType, v: unknown): Buffer {
  if (!Buffer.isBuffer(v)) throw new ColumnValueError(type, v, 'not bytes');
  return v;
}

/** A value as better-sqlite3 returns it, made portable. */
export function fromSqlite(type: ColumnType, v: unknown): PortableValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'text':
      return toText(type, v);
    case 'integer':
      return toInteger(type, v);
    case 'real':
      return toReal(type, v);
    case 'json':
      try {
        return JSON.parse(toText(type, v)) as PortableJson;
      } catch (err) {
        throw new ColumnValueError(type, v, (err as Error).message);
      }
    case 'bytes':
      return toBytes(type, v);
    case 'boolean':
      if (v === 0 || v === 1) return v === 1;
      throw new ColumnValueError(type, v, 'a SQLite boolean must be 0 or 1');
  }
}

/** A portable value as better-sqlite3 binds it. */
export function toSqlite(type: ColumnType, v: PortableValue): string | number | Buffer | null {
  if (v === null) return null;
  switch (type) {
    case 'json':
      // Compact JSON text, as the SQLite store writes it (its search reads the text).
      return JSON.stringify(v);
    case 'boolean':
      return v === true ? 1 : 0;
    default:
      return v as string | number | Buffer;
  }
}

/** A value as node-postgres returns it (JSONB parsed, BIGINT as text), made portable. */
export function fromPostgres(type: ColumnType, v: unknown): PortableValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'text':
      return toText(type, v);
    case 'integer':
      return toInteger(type, v);
    case 'real':
      return toReal(type, v);
    case 'json':
      return v as PortableJson;
    case 'bytes':
      return toBytes(type, v);
    case 'boolean':
      if (typeof v !== 'boolean') throw new ColumnValueError(type, v, 'not a boolean');
      return v;
  }
}

/** The array type a column's values are sent in (one array parameter per column, unnested). */
export const POSTGRES_ARRAY_TYPE: Readonly<Record<ColumnType, string>> = {
  text: 'text[]',
  integer: 'int8[]',
  real: 'float8[]',
  json: 'text[]',
  bytes: 'bytea[]',
  boolean: 'bool[]',
};

/** A portable value as an element of that array. */
export function toPostgres(type: ColumnType, v: PortableValue): string | number | boolean | Buffer | null {
  if (v === null) return null;
  if (type === 'json') return JSON.stringify(v);
  return v as string | number | boolean | Buffer;
}

/** JSON with object keys sorted, so that text and JSONB give the same string. */
export function canonicalJson(v: PortableJson): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A portable value as it goes into a checksum: the same whichever backend it came from. */
export function canonicalValue(type: ColumnType, v: PortableValue): string | number | boolean | null {
  if (v === null) return null;
  switch (type) {
    case 'json':
      return canonicalJson(v as PortableJson);
    case 'bytes':
      return (v as Buffer).toString('base64');
    default:
      return v as string | number | boolean;
  }
}
