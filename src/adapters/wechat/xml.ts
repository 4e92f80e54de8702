/**
 * Reads one WeChat XML document (`<xml>…</xml>`) with fast-xml-parser, safely:
 * - UTF-8 only; a `<!DOCTYPE` or `<!ENTITY` outside CDATA is refused before parsing, so there is no DTD and no entity
 *   expansion (only XML's five predefined entities are decoded; WeChat puts text in CDATA anyway);
 * - the document must have the single root `xml` with fields, nested at most a few levels (the parser is lenient
 *   about well-formedness, e.g. a missing closing tag; the fields are checked afterwards, and the request was
 *   authenticated before any of this runs);
 * - every value stays a string (`parseTagValue: false`): `MsgId` is a 64-bit integer that a JS number would round.
 * Anything else is PayloadInvalid (400). Pure.
 */
import { XMLParser } from 'fast-xml-parser';
import { PayloadInvalid } from '../../shared/errors.js';

/** The children of `<xml>`: strings, nested elements (some events), or arrays when a tag repeats. */
export type WeChatXmlDocument = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const CDATA = /<!\[CDATA\[[\s\S]*?\]\]>/g;
const DTD = /<!\s*(?:DOCTYPE|ENTITY)/i;
/** WeChat's bodies open with `<xml>` (after an optional BOM, whitespace or XML declaration): anything else is not one. */
const OPENING = /^\uFEFF?\s*(?:<\?xml[^>]{0,200}\?>\s*)?<xml[\s>]/;

const parser = new XMLParser({
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  trimValues: true,
  maxNestedTags: 8,
});

function decode(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new PayloadInvalid('The WeChat message is not UTF-8 text.');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of a WeChat XML body; throws PayloadInvalid on anything that is not one well-formed `<xml>` document. */
export function parseWeChatXml(body: Buffer | string): WeChatXmlDocument {
  const text = typeof body === 'string' ? body : decode(body);
  if (text.trim() === '') throw new PayloadInvalid('The WeChat message is empty.');
  if (!OPENING.test(text)) throw new PayloadInvalid('The WeChat message is not an <xml> document.');
  if (DTD.test(text.replace(CDATA, ''))) throw new PayloadInvalid('The WeChat message declares a DTD or entities, which are refused.');
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch {
    throw new PayloadInvalid('The WeChat message could not be read as XML.');
  }
  if (!isRecord(parsed)) throw new PayloadInvalid('The WeChat message is not an <xml> document.');
  const roots = Object.keys(parsed);
  const root = parsed.xml;
  if (roots.length !== 1 || !isRecord(root)) throw new PayloadInvalid('The WeChat message must be one <xml> element with fields.');
  return root;
}
