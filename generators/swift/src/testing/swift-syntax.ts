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
 * Known false positives of this grammar (@repomix/tree-sitter-wasms 0.1.17): conditional
 * compilation. A top-level `#if canImport(X)` / `import X` / `#endif` block, which Linux builds
 * need for FoundationNetworking, is an ERROR unless a doc comment happens to follow it, and an
 * `#if` inside a type or function body (`#if canImport(Network)` around a property or a call)
 * breaks the parse of the enclosing declaration. So every line that is a compilation directive
 * (`#if …`, `#elseif …`, `#else`, `#endif`, with any indentation and trailing comment) is blanked
 * before parsing, keeping line and column numbers; the code of every branch is still parsed, one
 * branch after the other (so each branch must be well-formed on its own, as Swift requires).
 */
const DIRECTIVE = /^[ \t]*#(?:if|elseif|else|endif)\b.*$/gm;

export function maskCompilationDirectives(source: string): string {
  return source.replace(DIRECTIVE, (line) => line.replace(/[^\n]/g, ' '));
}

/** The conditional-import block (now one case of {@link maskCompilationDirectives}). */
export const maskConditionalImports = maskCompilationDirectives;

/** Problems of one source; an empty list means the file parses cleanly. */
export async function checkSwiftSyntax(source: string): Promise<SyntaxProblem[]> {
  const tree = (await swiftParser()).parse(maskCompilationDirectives(source));
  if (!tree) return [{ line: 1, column: 1, kind: 'ERROR', text: 'parser returned no tree' }];
  const problems: SyntaxProblem[] = [];
  walk(tree.rootNode, problems);
  if (tree.rootNode.hasError && problems.length === 0) problems.push({ line: 1, column: 1, kind: 'ERROR', text: 'rootNode.hasError' });
  tree.delete();
  return problems;
}
