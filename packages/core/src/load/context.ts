import path from 'node:path';
import type { Diagnostic, SourceRef } from '../ir/types.js';
import { diag, type DiagnosticCode } from '../diagnostics/codes.js';
import { DocumentStore, locate, type SourceDocument } from './documents.js';
import { getAt, parsePointer } from './pointer.js';

/** A place in the spec: a file and a JSON pointer inside it. */
export interface Loc {
  doc: SourceDocument;
  pointer: string;
}

/** A value together with where it was read. */
export interface Located<T = unknown> extends Loc {
  value: T;
}

/** `file#pointer`, the identity of a location (used as a map key). */
export function locKey(loc: Loc): string {
  return `${loc.doc.absPath}#${loc.pointer}`;
}

export function sourceRef(loc: Loc): SourceRef {
  return { file: loc.doc.displayPath, pointer: loc.pointer === '' ? '#' : '#' + loc.pointer };
}

/**
 * Shared state of one load: the documents read so far, the diagnostics, and `$ref` resolution.
 * Every diagnostic goes through {@link report}, which attaches the line:col in the user's file.
 */
export class LoadContext {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly store: DocumentStore,
    readonly root: SourceDocument,
  ) {}

  report(code: DiagnosticCode, message: string, loc: Loc, hint?: string): void {
    const d = diag(
      code,
      message,
      loc.doc.displayPath,
      loc.pointer === '' ? '#' : '#' + loc.pointer,
      hint ? { hint } : {},
    );
    const pos = locate(loc.doc, loc.pointer);
    d.line = pos.line;
    d.column = pos.column;
    this.diagnostics.push(d);
  }

  hasErrors(): boolean {
    return (
      this.diagnostics.some((d) => d.severity === 'error') ||
      this.store.diagnostics.some((d) => d.severity === 'error')
    );
  }

  /** All diagnostics so far, store-level first, deduplicated, in a stable order. */
  allDiagnostics(): Diagnostic[] {
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const d of [...this.store.diagnostics, ...this.diagnostics]) {
      const key = `${d.code}|${d.file}|${d.pointer}|${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    return out.sort(
      (a, b) =>
        a.file.localeCompare(b.file) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0) ||
        a.code.localeCompare(b.code),
    );
  }

  /**
   * Resolves one `$ref` written at `at`. Supports local pointers (`#/components/…`) and relative
   * files with an optional fragment (`./schemas/task.yaml#/Task`). Remote URLs are refused.
   */
  resolveRef(ref: string, at: Loc): Located | null {
    const refLoc: Loc = { doc: at.doc, pointer: at.pointer + '/$ref' };
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) {
      this.report(
        'SP0112',
        `Remote $ref "${ref}" is not supported.`,
        refLoc,
        'Download the file next to the spec and refer to it by a relative path.',
      );
      return null;
    }
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    let doc = at.doc;
    if (filePart !== '') {
      const abs = path.resolve(path.dirname(at.doc.absPath), decodeURI(filePart));
      const loaded = this.store.load(abs, {
        file: at.doc.displayPath,
        pointer: '#' + refLoc.pointer,
      });
      if (!loaded) {
        // The store recorded the diagnostic without a position; add it here.
        const last = this.store.diagnostics.at(-1);
        if (last && last.line === undefined) {
          const pos = locate(at.doc, refLoc.pointer);
          last.line = pos.line;
          last.column = pos.column;
        }
        return null;
      }
      doc = loaded;
    }
    if (fragment !== '' && !fragment.startsWith('/')) {
      this.report(
        'SP0110',
        `$ref "${ref}" uses a named anchor, which is not supported.`,
        refLoc,
        'Use a JSON pointer such as "#/components/schemas/Name".',
      );
      return null;
    }
    const value = getAt(doc.value, fragment);
    if (value === undefined) {
      const tokens = parsePointer(fragment);
      const missing = tokens.at(-1) ?? '';
      const siblings = Object.keys(
        (getAt(doc.value, '/' + tokens.slice(0, -1).join('/')) ?? {}) as object,
      );
      const near = siblings.find((s) => s.toLowerCase() === missing.toLowerCase());
      this.report(
        'SP0110',
        `$ref "${ref}" points to nothing: "${fragment || '/'}" does not exist in ${doc.displayPath}.`,
        refLoc,
        near
          ? `Did you mean "${near}"? (names are case-sensitive)`
          : 'Fix the pointer, or add the missing definition.',
      );
      return null;
    }
    return { doc, pointer: fragment, value };
  }

  private readonly reportedCycles = new Set<string>();

  /** One error per cycle, at its first member in document order, naming every member. */
  private reportCycle(cycle: Located[]): void {
    const keys = cycle.map(locKey).sort();
    if (this.reportedCycles.has(keys.join('|'))) return;
    this.reportedCycles.add(keys.join('|'));
    const first = [...cycle].sort((a, b) => (locKey(a) < locKey(b) ? -1 : 1))[0]!;
    const start = cycle.indexOf(first);
    const names = [...cycle.slice(start), ...cycle.slice(0, start), first].map((c) =>
      c.pointer.split('/').at(-1),
    );
    this.report(
      'SP0111',
      `These $refs only refer to each other (${names.join(' → ')}), so the schema can never be resolved.`,
      first,
      'Give one of the schemas a real definition (type, properties…).',
    );
  }

  /** Follows `$ref` chains until a non-reference value; reports cycles. */
  deref(loc: Located): Located | null {
    let current = loc;
    const chain: Located[] = [];
    while (isRef(current.value)) {
      const key = locKey(current);
      const start = chain.findIndex((c) => locKey(c) === key);
      if (start !== -1) {
        this.reportCycle(chain.slice(start));
        return null;
      }
      chain.push(current);
      const next = this.resolveRef(current.value.$ref, current);
      if (!next) return null;
      current = next;
    }
    return current;
  }
}

export function isRef(value: unknown): value is { $ref: string } {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { $ref?: unknown }).$ref === 'string'
  );
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function at<T = unknown>(loc: Located, ...tokens: (string | number)[]): Located<T> {
  let value: unknown = loc.value;
  let pointer = loc.pointer;
  for (const t of tokens) {
    value = Array.isArray(value)
      ? value[Number(t)]
      : isObject(value)
        ? value[String(t)]
        : undefined;
    pointer += '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1');
  }
  return { doc: loc.doc, pointer, value: value as T };
}
