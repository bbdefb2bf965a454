/**
 * Authentication and the permissions the spec declares, as the dev server applies them.
 *
 * - **Principals.** With an auth file (`--auth <file>`), a token maps to a principal:
 *   `{"principals": [{"token": "t-alice", "id": "alice", "roles": ["sales"]}]}`; an unknown token
 *   answers 401. Without one, a token's text is the principal id (no roles) and `x-rbac` is not
 *   enforced. The token is read from `Authorization: Bearer <token>`, or from the header / query
 *   parameter / cookie of an `apiKey` security scheme.
 * - **401.** An operation whose `security` is non-empty and that gets no token answers 401, like
 *   the backend the spec describes. `allowAnonymous` (`--allow-anonymous`) serves such callers as
 *   the anonymous principal instead, for clients without a token provider.
 * - **Owner-only fields** (`x-owner-only`) are returned only to the row's owner: the principal
 *   whose id is in the row's owner column (see schema/server-set.ts). A table without an owner
 *   column has no notion of ownership: its owner-only fields are returned to every caller.
 * - **x-rbac field groups**, with an auth file (principals have roles): fields in a group the principal's roles may
 *   not read are absent (REST) / left off the shape; a write to a field in a group they may not
 *   write answers 403 naming the field. Fields in no group are unrestricted.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonValue, SyncIR } from '@sync/core';
import type { TableModel } from '../schema/model.js';
import { serverSetKind } from '../schema/server-set.js';
import { own, put, record } from '../util/json.js';
import { ANONYMOUS, ownerValue, type Principal } from './principal.js';

export interface AuthFile {
  principals: { token: string; id: string; roles?: string[] }[];
}

export class AuthFileError extends Error {}

/** Reads and checks an auth file; errors name the file and the entry. */
export async function readAuthFile(path: string): Promise<AuthFile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new AuthFileError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = (data as { principals?: unknown }).principals;
  if (!Array.isArray(list))
    throw new AuthFileError(`${path}: expected {"principals": [{"token", "id", "roles"}]}`);
  list.forEach((p: unknown, i) => {
    const e = p as { token?: unknown; id?: unknown; roles?: unknown };
    if (typeof e.token !== 'string' || e.token === '' || typeof e.id !== 'string' || e.id === '')
      throw new AuthFileError(`${path}: /principals/${i} needs a non-empty "token" and "id"`);
    if (
      e.roles !== undefined &&
      (!Array.isArray(e.roles) || e.roles.some((r) => typeof r !== 'string'))
    )
      throw new AuthFileError(`${path}: /principals/${i}/roles must be an array of strings`);
  });
  return data as AuthFile;
}

export type AuthResult =
  | { kind: 'ok'; principal: Principal; token: string | null }
  | { kind: 'unauthorized'; message: string };

export class Auth {
  private readonly tokens: Map<string, Principal> | null;

  constructor(
    private readonly ir: SyncIR,
    file: AuthFile | null,
    private readonly allowAnonymous: boolean,
  ) {
    this.tokens =
      file === null
        ? null
        : new Map(file.principals.map((p) => [p.token, { id: p.id, roles: p.roles ?? [] }]));
  }

  /** Whether a secured operation needs a token (401 without one; owner-only fields hidden). */
  get enforced(): boolean {
    return !this.allowAnonymous;
  }

  /** Whether x-rbac applies: only principals of an auth file have roles. */
  private get rbacEnforced(): boolean {
    return this.tokens !== null;
  }

  private token(headers: IncomingHttpHeaders, query: URLSearchParams): string | null {
    const h = headers.authorization;
    const m = typeof h === 'string' ? /^Bearer\s+(.+)$/i.exec(h.trim()) : null;
    if (m?.[1] !== undefined) return m[1].trim();
    for (const s of this.ir.securitySchemes) {
      if (s.type !== 'api-key' || s.paramName === undefined) continue;
      const name = s.paramName;
      if (s.in === 'header') {
        const v = headers[name.toLowerCase()];
        if (typeof v === 'string' && v !== '') return v;
      } else if (s.in === 'query') {
        const v = query.get(name);
        if (v !== null && v !== '') return v;
      } else if (s.in === 'cookie') {
        const c = headers.cookie ?? '';
        const hit = c
          .split(';')
          .map((x) => x.trim().split('='))
          .find(([k]) => k === name);
        if (hit?.[1] !== undefined && hit[1] !== '') return decodeURIComponent(hit[1]);
      }
    }
    return null;
  }

  /** Who is calling; `secured` = the operation declares security. */
  authenticate(headers: IncomingHttpHeaders, query: URLSearchParams, secured: boolean): AuthResult {
    const token = this.token(headers, query);
    if (token === null) {
      if (secured && this.enforced)
        return { kind: 'unauthorized', message: 'this operation requires a bearer token' };
      return { kind: 'ok', principal: ANONYMOUS, token: null };
    }
    if (this.tokens === null) return { kind: 'ok', principal: { id: token, roles: [] }, token };
    const p = this.tokens.get(token);
    return p === undefined
      ? { kind: 'unauthorized', message: 'the token is not one of the --auth file' }
      : { kind: 'ok', principal: p, token };
  }

  /** Field groups of `t` the principal may read or write (null = unrestricted). */
  private allowedFields(t: TableModel, p: Principal, mode: 'read' | 'write'): Set<string> | null {
    const rbac = t.entity.rbac;
    if (rbac === null || !this.rbacEnforced) return null;
    const groups = new Set<string>();
    for (const rp of rbac.rolePermissions)
      if (p.roles.includes(rp.role)) for (const g of rp[mode]) groups.add(g);
    const allowed = new Set<string>();
    const grouped = new Set<string>();
    for (const g of rbac.fieldGroups) {
      for (const f of g.fields) grouped.add(f);
      if (groups.has('*') || groups.has(g.name)) for (const f of g.fields) allowed.add(f);
    }
    for (const c of t.columns) if (!grouped.has(c.name)) allowed.add(c.name);
    return allowed;
  }

  /** Columns of `t` the principal may read (all when nothing restricts them). */
  readable(t: TableModel, p: Principal): (name: string) => boolean {
    const allowed = this.allowedFields(t, p, 'read');
    return (name) => allowed === null || allowed.has(name);
  }

  /** Body fields the principal may not write (for a 403 naming them). */
  forbiddenWrites(t: TableModel, p: Principal, body: Record<string, JsonValue>): string[] {
    const allowed = this.allowedFields(t, p, 'write');
    if (allowed === null) return [];
    return t.columns
      .filter((c) => !c.primaryKey && own(body, c.name) !== undefined && !allowed.has(c.name))
      .map((c) => c.name);
  }

  /** Whether `p` owns a row (of text values or JSON), by the table's owner column. */
  owns(t: TableModel, p: Principal, row: Record<string, JsonValue>): boolean {
    const c = ownerColumn(t);
    if (c === undefined) return false;
    const v = own(row, c.name);
    return v !== undefined && v !== null && String(v) === String(ownerValue(c, p));
  }

  /**
   * Whether owner-only fields of this row are hidden from `p`: whenever the caller is known (a
   * token, or auth enforced) and does not own the row. An anonymous caller of a server started
   * with `allowAnonymous` sees them (clients without a token provider keep working).
   */
  hidesOwnerOnly(
    t: TableModel,
    p: Principal,
    known: boolean,
    row: Record<string, JsonValue>,
  ): boolean {
    return (known || this.enforced) && ownerColumn(t) !== undefined && !this.owns(t, p, row);
  }

  /**
   * The JSON of a row as `p` may see it: unreadable x-rbac fields and (for non-owners)
   * x-owner-only fields removed.
   */
  visible(
    t: TableModel,
    p: Principal,
    known: boolean,
    row: Record<string, JsonValue>,
  ): Record<string, JsonValue> {
    const readable = this.readable(t, p);
    const ownerOnly = ownerOnlyColumns(t);
    const hide = ownerOnly.size > 0 && this.hidesOwnerOnly(t, p, known, row);
    const out = record<JsonValue>();
    for (const [k, v] of Object.entries(row))
      if (readable(k) && !(hide && ownerOnly.has(k))) put(out, k, v);
    return out;
  }
}

/** The column that names a row's owner: a server-set owner column (schema/server-set.ts). */
export function ownerColumn(t: TableModel) {
  return t.columns.find((c) => serverSetKind(c) === 'owner');
}

/** Owner-only columns of a table (`x-owner-only` on the item schema's field). */
export function ownerOnlyColumns(t: TableModel): Set<string> {
  return new Set(t.columns.filter((c) => c.field?.sync.ownerOnly === true).map((c) => c.name));
}
