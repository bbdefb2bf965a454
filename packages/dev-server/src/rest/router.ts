/**
 * Matches request paths against the IR's path templates: exactly the declared paths and methods,
 * trailing slashes as declared. A path that exists under another method answers 405; a server
 * URL with a path (`servers: [{url: /api}]`) also mounts the API under that prefix.
 */
import type { HttpMethod, Operation, SyncIR } from '@sync/core';
import { record } from '../util/json.js';

export interface Route {
  op: Operation;
  pattern: RegExp;
  params: string[];
}

export type RouteMatch =
  | { kind: 'found'; op: Operation; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' };

function compile(path: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = path
    .split('/')
    .map((seg) =>
      seg.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
        if (name !== undefined) {
          params.push(name);
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }),
    )
    .join('/');
  return { pattern: new RegExp(`^${source}$`), params };
}

export class Router {
  private readonly routes: Route[];
  private readonly prefixes: string[];

  constructor(ir: SyncIR) {
    this.routes = ir.operations.map((op) => ({ op, ...compile(op.path) }));
    this.prefixes = [];
    for (const server of ir.servers) {
      const p = new URL(server, 'http://placeholder').pathname.replace(/\/+$/, '');
      if (p !== '' && !this.prefixes.includes(p)) this.prefixes.push(p);
    }
  }

  match(method: string, rawPath: string): RouteMatch {
    const candidates = [rawPath];
    for (const p of this.prefixes)
      if (rawPath.startsWith(`${p}/`)) candidates.push(rawPath.slice(p.length));
    const allow = new Set<string>();
    for (const path of candidates) {
      for (const r of this.routes) {
        const m = r.pattern.exec(path);
        if (m === null) continue;
        if (r.op.method !== (method.toLowerCase() as HttpMethod)) {
          allow.add(r.op.method.toUpperCase());
          continue;
        }
        const params = record<string>();
        let bad = false;
        r.params.forEach((name, i) => {
          try {
            params[name] = decodeURIComponent(m[i + 1] ?? '');
          } catch {
            bad = true;
          }
        });
        if (!bad) return { kind: 'found', op: r.op, params };
      }
    }
    return allow.size > 0 ? { kind: 'method', allow: [...allow].sort() } : { kind: 'none' };
  }
}
