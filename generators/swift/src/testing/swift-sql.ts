/**
 * Extracts the SQL string constants of Swift sources (`static let name = """…"""` inside an enum),
 * decoding the literal exactly as Swift would: closing-delimiter indentation removed, escapes
 * (`\\`, `\"`, `\n`, `\t`, `\r`, `\0`, `\'`, `\u{…}`) resolved. An interpolation `\(` is an error:
 * SQL constants must be static. Test-only.
 */
import type { Node } from 'web-tree-sitter';
import { swiftParser } from './swift-syntax.js';

export interface SqlConstant {
  /** `ContactSQL.insertTrigger` */
  name: string;
  sql: string;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r', '0': '\0' };

/** Decodes the source text of a multi-line string literal. */
export function decodeMultilineLiteral(raw: string): string {
  if (!raw.startsWith('"""\n') || !raw.endsWith('"""')) throw new Error(`not a multi-line literal: ${raw.slice(0, 40)}`);
  const lines = raw.slice(4, -3).split('\n');
  const indent = lines.pop() ?? '';
  if (!/^[ \t]*$/.test(indent)) throw new Error('closing delimiter must be on its own line');
  const body = lines
    .map((l) => {
      if (l.trim() === '') return '';
      if (!l.startsWith(indent)) throw new Error(`line less indented than the closing delimiter: ${l}`);
      return l.slice(indent.length);
    })
    .join('\n');
  return body.replace(/\\(u\{([0-9a-fA-F]{1,8})\}|.)/g, (m, esc: string, hex: string | undefined) => {
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    if (esc === '(') throw new Error('interpolation in an SQL constant');
    const out = ESCAPES[esc];
    if (out === undefined) throw new Error(`unknown escape ${m}`);
    return out;
  });
}

function typeNameOf(node: Node): string {
  return node.children.find((c) => c?.type === 'type_identifier')?.text ?? '?';
}

/** Every `static let x = """…"""` of every enum in `source`, in source order. */
export async function extractSqlConstants(source: string): Promise<SqlConstant[]> {
  const tree = (await swiftParser()).parse(source);
  if (!tree) throw new Error('parse failed');
  const out: SqlConstant[] = [];
  const visit = (node: Node, owner: string): void => {
    const nextOwner = node.type === 'class_declaration' ? typeNameOf(node) : owner;
    if (node.type === 'property_declaration') {
      const literal = node.children.find((c) => c?.type === 'multi_line_string_literal');
      const name = node.children.find((c) => c?.type === 'pattern')?.text.replace(/`/g, '');
      if (literal && name) out.push({ name: `${owner}.${name}`, sql: decodeMultilineLiteral(literal.text) });
    }
    for (const c of node.children) if (c) visit(c, nextOwner);
  };
  visit(tree.rootNode, '');
  tree.delete();
  return out;
}
