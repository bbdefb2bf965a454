import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CORE_SCHEMA, load as loadYaml, YAMLException } from 'js-yaml';
import { createRequire } from 'node:module';
import type { Document, LineCounter, Node } from 'yaml';
import type { Diagnostic } from '../ir/types.js';
import { diag } from '../diagnostics/codes.js';
import { aliasesMayExceed } from './aliases.js';
import { JsonPositions } from './json-positions.js';
import { parsePointer } from './pointer.js';

/** One file of the spec, parsed with enough of its syntax tree kept to report line:col. */
export interface SourceDocument {
  /** Absolute path. */
  absPath: string;
  /** Path as shown to the user (relative to the cwd when inside it). */
  displayPath: string;
  /** Plain JS value of the file. */
  value: unknown;
  /** The file's text, for building its syntax tree when a position is needed. */
  text: string;
  /** Syntax tree with source ranges, built on first use (only diagnostics need it). */
  tree?: { yaml: Document.Parsed; lines: LineCounter };
  /** The same for JSON files: the containers a located pointer went through, indexed on demand. */
  jsonPositions?: JsonPositions;
}

/**
 * The parser of YAML syntax trees with positions, loaded on first use: only a diagnostic (or a
 * file with suspicious aliases) needs one, and a valid spec loads without it. It is a CommonJS
 * package in Node, so this is the instance an `import` would give.
 */
const require = createRequire(import.meta.url);
let yamlLib: typeof import('yaml') | undefined;
const yamlTrees = () => (yamlLib ??= require('yaml') as typeof import('yaml'));

/** The position-bearing syntax tree of a document, parsed once, on demand. */
function treeOf(doc: SourceDocument): { yaml: Document.Parsed; lines: LineCounter } {
  if (!doc.tree) {
    const { LineCounter, parseDocument } = yamlTrees();
    const lines = new LineCounter();
    const yaml = parseDocument(doc.text, {
      lineCounter: lines,
      uniqueKeys: false,
      prettyErrors: false,
      version: '1.2',
    });
    doc.tree = { yaml, lines };
  }
  return doc.tree;
}

const lineStartCache = new WeakMap<object, number[]>();

/** 1-based line and column of a character offset (line starts indexed once per text owner). */
function lineCol(text: string, offset: number, owner?: object): { line: number; column: number } {
  let starts = owner ? lineStartCache.get(owner) : undefined;
  if (!starts) {
    starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    if (owner) lineStartCache.set(owner, starts);
  }
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
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

  /**
   * The path written into the IR (and so into generated files): relative to the cwd in POSIX form,
   * `../` included, so that the same checkout gives the same bytes on every machine. Only a file on
   * another drive or root, where no relative path exists, falls back to its base name.
   */
  portable(absPath: string): string {
    const rel = path.relative(this.cwd, absPath);
    if (rel === '' || path.isAbsolute(rel)) return path.basename(absPath);
    return rel.split(path.sep).join('/');
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
      const reason =
        (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
      if (from) {
        this.diagnostics.push(
          diag(
            'SP0102',
            `The file "${displayPath}" referenced here ${reason}.`,
            from.file,
            from.pointer,
            {
              hint: 'Fix the relative path in `$ref` (it is resolved against the folder of the file that contains it).',
            },
          ),
        );
      } else {
        this.diagnostics.push(
          diag('SP0101', `The spec file "${displayPath}" ${reason}.`, displayPath, ''),
        );
      }
      return null;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Values come from a fast parser; the position-bearing tree is only built when a diagnostic
    // needs a line:col (that tree costs several times more than the values on large specs).
    const isJson = /\.json$/i.test(absPath);
    const syntaxError = (message: string, pos: { line: number; column: number }): null => {
      this.diagnostics.push({
        ...diag('SP0103', `${isJson ? 'JSON' : 'YAML'} syntax error: ${message}`, displayPath, ''),
        ...pos,
      });
      return null;
    };
    let value: unknown;
    if (isJson) {
      try {
        value = JSON.parse(text);
      } catch (err) {
        const e = strictJsonError(err as Error);
        return syntaxError(e.message, lineCol(text, e.offset));
      }
    } else {
      try {
        value = loadYaml(text, { schema: CORE_SCHEMA, filename: displayPath });
      } catch (err) {
        if (!(err instanceof YAMLException)) throw err;
        return syntaxError(cleanYamlMessage(err.reason ?? err.message), {
          line: (err.mark?.line ?? 0) + 1,
          column: (err.mark?.column ?? 0) + 1,
        });
      }
    }
    const doc: SourceDocument = { absPath, displayPath, value, text };
    if (!isJson && ALIAS.test(text) && aliasesMayExceed(text, MAX_YAML_ALIAS_COUNT)) {
      const bomb = aliasBomb(doc);
      if (bomb) {
        this.diagnostics.push({
          ...diag(
            'SP0109',
            `YAML aliases expand this file far beyond its size (${bomb.reason}); sync-patterns refuses it rather than unfold it.`,
            displayPath,
            bomb.pointer === '' ? '#' : '#' + bomb.pointer,
            { hint: 'Write the repeated parts out, or share them with `$ref` (an alias of an alias of an alias… multiplies the document).' },
          ),
          ...bomb.pos,
        });
        return null;
      }
    }
    return doc;
  }
}

/** A `*name` alias may occur in the text (false positives only cost a look at the events). */
const ALIAS = /(?:^|[\s,[{:-])\*[^\s,[\]{}*]/m;

/**
 * How much aliased data one file may expand to, in the `yaml` package's own accounting (its
 * `maxAliasCount`, the guard against "billion laughs" documents: each use of an anchor counts the
 * aliases nested in it). Real specs that reuse an anchor stay far below; a bomb exceeds it after a
 * few levels, so the check itself stays cheap.
 */
export const MAX_YAML_ALIAS_COUNT = 10_000;

/** Null when the aliases of `doc` stay within {@link MAX_YAML_ALIAS_COUNT}; else where to point. */
function aliasBomb(doc: SourceDocument): { reason: string; pointer: string; pos: { line: number; column: number } } | null {
  const { yaml, lines } = treeOf(doc);
  const { isCollection, isMap, isScalar, isSeq, visit } = yamlTrees();
  try {
    yaml.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
    return null;
  } catch (err) {
    if (!(err instanceof ReferenceError) || !/alias/i.test(err.message)) return null;
  }
  // Point at the first alias whose anchor itself contains aliases (where the nesting starts),
  // else at the first alias.
  let first: { pointer: string; offset: number } | null = null;
  let nested: { pointer: string; offset: number } | null = null;
  visit(yaml, {
    Alias(_key, node, path) {
      const tokens: string[] = [];
      for (let i = 1; i < path.length; i++) {
        const parent = path[i - 1];
        const here = path[i];
        if (isSeq(parent)) tokens.push(String(parent.items.indexOf(here as never)));
        else if (isMap(parent) && here && 'key' in (here as object)) {
          const key = (here as { key: unknown }).key;
          tokens.push(isScalar(key) ? String(key.value) : String(key));
        }
      }
      const parent = path[path.length - 1];
      if (isSeq(parent)) tokens.push(String(parent.items.indexOf(node as never)));
      const hit = { pointer: tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join(''), offset: node.range?.[0] ?? 0 };
      first ??= hit;
      const target = node.resolve(yaml);
      let inner = false;
      if (target && isCollection(target)) visit(target, { Alias: () => ((inner = true), visit.BREAK) });
      if (inner) {
        nested = hit;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  const at = (nested ?? first ?? { pointer: '', offset: 0 }) as { pointer: string; offset: number };
  const pos = lines.linePos(at.offset);
  return {
    reason: `more than ${MAX_YAML_ALIAS_COUNT} aliased nodes, nested aliases of aliases`,
    pointer: at.pointer,
    pos: { line: pos.line, column: pos.col },
  };
}

function cleanYamlMessage(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/ \(\d+:\d+\)$/, '')
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}

function strictJsonError(err: Error): { message: string; offset: number } {
  const m = /position (\d+)/.exec(err.message);
  const offset = m ? Number(m[1]) : 0;
  const clean = err.message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/^JSON\.parse: /, '');
  return { message: clean, offset };
}

/**
 * Finds the position of the node a JSON pointer names, in the user's own file. For a pointer that
 * names a mapping entry, the position of its key is returned (that is where an editor should jump).
 * When the pointer goes further than the file does, the deepest existing node is used.
 */
export function locate(doc: SourceDocument, pointer: string): { line: number; column: number } {
  if (/\.json$/i.test(doc.absPath)) return locateJson(doc, pointer);
  const { yaml, lines } = treeOf(doc);
  const { isMap, isScalar, isSeq } = yamlTrees();
  let node: unknown = yaml.contents;
  let best: number | undefined = rangeStart(node);
  for (const token of parsePointer(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === token,
      );
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
  const pos = lines.linePos(best ?? 0);
  return { line: pos.line, column: pos.col };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

/** {@link locate} for JSON files: the deepest existing node on the pointer's path (its key, for a property). */
function locateJson(doc: SourceDocument, pointer: string): { line: number; column: number } {
  doc.jsonPositions ??= new JsonPositions(doc.text);
  return lineCol(doc.text, doc.jsonPositions.offsetOf(parsePointer(pointer)), doc);
}
