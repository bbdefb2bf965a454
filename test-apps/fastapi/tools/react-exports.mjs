#!/usr/bin/env node
// Prints the public exports of a generated React client (the exports of its index.ts, resolved
// through re-exports by the TypeScript checker) as sorted JSON: `node react-exports.mjs <dir>`.
import path from 'node:path';
import ts from 'typescript';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node react-exports.mjs <generated client dir>');
  process.exit(2);
}
const index = path.resolve(dir, 'index.ts');
const program = ts.createProgram([index], {
  noEmit: true,
  noResolve: false,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  skipLibCheck: true,
});
const checker = program.getTypeChecker();
const source = program.getSourceFile(index);
const symbol = source && checker.getSymbolAtLocation(source);
if (!symbol) {
  console.error(`no module at ${index}`);
  process.exit(1);
}
const names = checker
  .getExportsOfModule(symbol)
  .map((s) => s.getName())
  .sort();
process.stdout.write(`${JSON.stringify(names, null, 2)}\n`);
