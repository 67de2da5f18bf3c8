/**
 * XML parts of office packages as a small ordered tree, parsed with fast-xml-parser.
 * Namespace prefixes are dropped (`w:p` becomes `p`): files from different producers bind
 * the same namespaces to different prefixes, and the local names are what the readers need.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DocumentInputError } from '../errors.ts';

/** One element (or a text node, whose name is `#text`). */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Text of a `#text` node. */
  text?: string;
}

// The parser's ordered output: [{ tag: children[], ':@': attrs }] and [{ '#text': '...' }].
type RawNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  // Spaces inside <w:t xml:space="preserve"> are content: nothing is trimmed or converted.
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  // Needed for numeric character references (&#x2014;); named HTML entities cannot occur in well-formed OOXML.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function convert(raw: RawNode[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const item of raw) {
    for (const key of Object.keys(item)) {
      if (key === ':@') continue;
      const value = item[key];
      if (key === '#text') out.push({ name: '#text', attrs: {}, children: [], text: String(value) });
      else out.push({ name: key, attrs: (item[':@'] as Record<string, string> | undefined) ?? {}, children: convert((value as RawNode[]) ?? []) });
    }
  }
  return out;
}

/**
 * Parses one part into its root element. Malformed XML and any DOCTYPE (OOXML never has one,
 * and refusing it rules out entity-expansion tricks) are DocumentInputError('corrupt').
 */
export function parseXml(xml: string, part: string): XmlNode {
  if (xml.includes('<!DOCTYPE')) throw new DocumentInputError('corrupt', {}, `${part}: DOCTYPE`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new DocumentInputError('corrupt', {}, `${part}: ${valid.err.msg}`);
  const root = convert(parser.parse(xml) as RawNode[]).find((n) => n.name !== '#text');
  if (!root) throw new DocumentInputError('corrupt', {}, `${part}: no root element`);
  return root;
}

/** Direct children with a given local name. */
export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** The first direct child with a given local name. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

/** Concatenated text nodes directly inside an element. */
export function ownText(node: XmlNode | undefined): string {
  if (!node) return '';
  let s = '';
  for (const c of node.children) if (c.name === '#text') s += c.text ?? '';
  return s;
}
