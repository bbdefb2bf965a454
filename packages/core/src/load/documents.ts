import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../ir/types.js';
import { diag } from '../diagnostics/codes.js';
import { parsePointer } from './pointer.js';

/** One file of the spec, parsed with enough of its syntax tree kept to report line:col. */
export interface SourceDocument {
  /** Absolute path. */
  absPath: string;
  /** Path as shown to the user (relative to the cwd when inside it). */
  displayPath: string;
  /** Plain JS value of the file. */
  value: unknown;
  yaml: Document.Parsed;
  lines: LineCounter;
}

/**
 * Reads and parses spec files once each. YAML 1.2 is a superset of JSON, so one parser gives
 * source positions for both; `.json` files are additionally held to strict JSON so that a
 * trailing comma is reported the way a JSON user expects.
 */
export class DocumentStore {
  private readonly docs = new Map<string, SourceDocument | null>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly cwd: string) {}

  display(absPath: string): string {
    const rel = path.relative(this.cwd, absPath);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absPath;
  }

  /** Absolute paths of every file read, sorted. */
  files(): string[] {
    return [...this.docs.keys()].sort();
  }

  /** Loads a file, or returns null after recording a located diagnostic. */
  load(absPath: string, from?: { file: string; pointer: string }): SourceDocument | null {
    if (this.docs.has(absPath)) return this.docs.get(absPath) ?? null;
    const doc = this.read(absPath, from);
    this.docs.set(absPath, doc);
    return doc;
  }

  get(absPath: string): SourceDocument | undefined {
    return this.docs.get(absPath) ?? undefined;
  }

  private read(absPath: string, from?: { file: string; pointer: string }): SourceDocument | null {
    const displayPath = this.display(absPath);
    let text: string;
    try {
      text = readFileSync(absPath, 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
      if (from) {
        this.diagnostics.push(
          diag('SP0102', `The file "${displayPath}" referenced here ${reason}.`, from.file, from.pointer, {
            hint: 'Fix the relative path in `$ref` (it is resolved against the folder of the file that contains it).',
          }),
        );
      } else {
        this.diagnostics.push(diag('SP0101', `The spec file "${displayPath}" ${reason}.`, displayPath, ''));
      }
      return null;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = new LineCounter();
    const yaml = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, version: '1.2' });
    const first = yaml.errors[0];
    if (first) {
      const pos = lines.linePos(first.pos[0]);
      this.diagnostics.push({
        ...diag('SP0103', `${absPath.endsWith('.json') ? 'JSON' : 'YAML'} syntax error: ${cleanYamlMessage(first.message)}`, displayPath, ''),
        line: pos.line,
        column: pos.col,
      });
      return null;
    }
    if (/\.json$/i.test(absPath)) {
      const jsonError = strictJsonError(text);
      if (jsonError) {
        const pos = lines.linePos(jsonError.offset);
        this.diagnostics.push({
          ...diag('SP0103', `JSON syntax error: ${jsonError.message}`, displayPath, ''),
          line: pos.line,
          column: pos.col,
        });
        return null;
      }
    }
    const value: unknown = yaml.toJS({ maxAliasCount: 10_000 });
    return { absPath, displayPath, value, yaml, lines };
  }
}

function cleanYamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function strictJsonError(text: string): { message: string; offset: number } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    const message = (err as Error).message;
    const m = /position (\d+)/.exec(message);
    const offset = m ? Number(m[1]) : 0;
    const clean = message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    return { message: clean, offset };
  }
}

/**
 * Finds the position of the node a JSON pointer names, in the user's own file. For a pointer that
 * names a mapping entry, the position of its key is returned (that is where an editor should jump).
 * When the pointer goes further than the file does, the deepest existing node is used.
 */
export function locate(doc: SourceDocument, pointer: string): { line: number; column: number } {
  let node: unknown = doc.yaml.contents;
  let best: number | undefined = rangeStart(node);
  for (const token of parsePointer(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === token);
      if (!pair) break;
      best = rangeStart(pair.key) ?? best;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(token)];
      if (item === undefined) break;
      best = rangeStart(item) ?? best;
      node = item;
    } else {
      break;
    }
  }
  const pos = doc.lines.linePos(best ?? 0);
  return { line: pos.line, column: pos.col };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
