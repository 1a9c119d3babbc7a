import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Parsed XML as plain objects: attributes as "@_name", text as "#text", namespace prefixes removed. */
export type XmlNode = Record<string, unknown>;

/**
 * Parse an XML document, or return the reason it is not well-formed.
 * Values stay strings ("1501.05039" must not become a number).
 */
export function parseXml(xml: string, arrayTags: readonly string[]): { ok: true; doc: XmlNode } | { ok: false; message: string } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const e = valid.err;
    return { ok: false, message: `not well-formed XML: ${e.msg} (line ${e.line}, column ${e.col})` };
  }
  const arrays = new Set(arrayTags);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (tagName, _path, _leaf, isAttribute) => !isAttribute && arrays.has(tagName),
  });
  const doc: unknown = parser.parse(xml);
  if (typeof doc !== 'object' || doc === null) return { ok: false, message: 'empty XML document' };
  return { ok: true, doc: doc as XmlNode };
}

/** The child element as an object (elements with only text become { "#text": ... }). */
export function child(node: unknown, name: string): XmlNode | null {
  if (typeof node !== 'object' || node === null) return null;
  const v = (node as XmlNode)[name];
  if (typeof v === 'string') return { '#text': v };
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as XmlNode;
  return null;
}

/** All children of that name (declared in arrayTags, or a single one). */
export function children(node: unknown, name: string): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  const v = (node as XmlNode)[name];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Text content of a node or of the named child; null when absent or empty. */
export function text(node: unknown, name?: string): string | null {
  const target = name === undefined ? node : typeof node === 'object' && node !== null ? (node as XmlNode)[name] : undefined;
  let s: unknown = target;
  if (Array.isArray(s)) s = s[0];
  if (typeof s === 'object' && s !== null) s = (s as XmlNode)['#text'];
  if (typeof s === 'number') return String(s);
  if (typeof s !== 'string') return null;
  const t = s.trim();
  return t === '' ? null : t;
}

/** An attribute value of a node; null when absent. */
export function attr(node: unknown, name: string): string | null {
  if (typeof node !== 'object' || node === null) return null;
  const v = (node as XmlNode)[`@_${name}`];
  return typeof v === 'string' ? v : null;
}
