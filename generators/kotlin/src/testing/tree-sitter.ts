/**
 * Kotlin syntax gate with tree-sitter (the same check the Swift target relies on): a file passes
 * when the tree has no ERROR or MISSING node and `rootNode.hasError` is false.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let parser: Parser | null = null;

async function kotlinParser(): Promise<Parser> {
  if (parser) return parser;
  await Parser.init();
  const p = new Parser();
  p.setLanguage(await Language.load(require.resolve('@tree-sitter-grammars/tree-sitter-kotlin/tree-sitter-kotlin.wasm')));
  parser = p;
  return p;
}

/** Problems (`line:col kind`) in `source`; empty when it parses cleanly. */
export async function syntaxErrors(source: string): Promise<string[]> {
  const tree = (await kotlinParser()).parse(source);
  if (!tree) return ['parser returned no tree'];
  const out: string[] = [];
  const walk = (node: Node): void => {
    if (node.isError || node.isMissing) out.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.isMissing ? 'MISSING' : 'ERROR'} ${node.type}`);
    for (const child of node.children) if (child) walk(child);
  };
  walk(tree.rootNode);
  if (tree.rootNode.hasError && out.length === 0) out.push('rootNode.hasError');
  tree.delete();
  return out;
}
