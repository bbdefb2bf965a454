/**
 * The Swift syntax gate (no Swift compiler is reachable here): parses a source with the
 * tree-sitter Swift grammar and reports every ERROR or MISSING node. A file passes only when
 * there are none and `rootNode.hasError` is false. Test-only; never imported by the generator.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let parser: Parser | undefined;

/** Loads the grammar once per process (~50 ms). */
export async function swiftParser(): Promise<Parser> {
  if (parser) return parser;
  await Parser.init();
  const wasm = require.resolve('@repomix/tree-sitter-wasms/out/tree-sitter-swift.wasm');
  const p = new Parser();
  p.setLanguage(await Language.load(wasm));
  return (parser = p);
}

export interface SyntaxProblem {
  /** 1-based */
  line: number;
  column: number;
  kind: 'ERROR' | 'MISSING';
  text: string;
}

function walk(node: Node, out: SyntaxProblem[]): void {
  if (node.type === 'ERROR' || node.isMissing) {
    out.push({
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      kind: node.isMissing ? 'MISSING' : 'ERROR',
      text: node.text.slice(0, 60),
    });
  }
  for (const child of node.children) if (child) walk(child, out);
}

/**
 * Known false positive of this grammar (@repomix/tree-sitter-wasms 0.1.17): a top-level
 * `#if canImport(X)` / `import X` / `#endif` block, which Linux builds need for
 * FoundationNetworking, is an ERROR unless a doc comment happens to follow it. Exactly that
 * three-line shape is blanked (line numbers kept) before parsing; nothing else is.
 */
const CONDITIONAL_IMPORT = /^#if canImport\((\w+)\)\n {2}import \1\n#endif$/gm;

export function maskConditionalImports(source: string): string {
  return source.replace(CONDITIONAL_IMPORT, (block) => block.replace(/[^\n]/g, ' '));
}

/** Problems of one source; an empty list means the file parses cleanly. */
export async function checkSwiftSyntax(source: string): Promise<SyntaxProblem[]> {
  const tree = (await swiftParser()).parse(maskConditionalImports(source));
  if (!tree) return [{ line: 1, column: 1, kind: 'ERROR', text: 'parser returned no tree' }];
  const problems: SyntaxProblem[] = [];
  walk(tree.rootNode, problems);
  if (tree.rootNode.hasError && problems.length === 0) problems.push({ line: 1, column: 1, kind: 'ERROR', text: 'rootNode.hasError' });
  tree.delete();
  return problems;
}
