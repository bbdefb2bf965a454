import type { EntityRole } from '../ir/types.js';

/**
 * Which paths an entity is made of. An entity is one collection path and the item path directly
 * under it (or, for a nested collection, under its flat form): `/contacts` + `/contacts/{id}`,
 * `/accounts/{account_id}/line-items` + `/line-items/{id}`. Operations of the same resource on
 * any other path (`/courses/{courseId}/events/{id}` beside `/events/{id}`) are not the entity's:
 * they stay plain typed calls. Search, filter and action endpoints under a resource
 * (`/pet/findByStatus`, `/users/search`, `/expenses/number/{n}`) are never entities.
 * See docs/ir.md, "Entities".
 */

export interface PathShape {
  kind: 'collection' | 'item';
  /** The resource segment as written (`line-items`). */
  resource: string;
  /** For items: the id parameter. For nested collections: the parent parameter. */
  param: string | null;
  /** For nested collections: the literal segment before the parent parameter (`accounts`). */
  parentResource: string | null;
  depth: number;
}

const isParam = (s: string | undefined): boolean => s !== undefined && /^\{[^}]+\}$/.test(s);
const segments = (path: string): string[] => path.split('/').filter(Boolean);

/** `/api/v1/accounts/{account_id}/line-items/` → collection of `line-items` under `account_id`. */
export function pathShape(path: string): PathShape | null {
  const segs = segments(path);
  const last = segs.at(-1);
  if (last === undefined) return null;
  if (isParam(last)) {
    const resource = segs.at(-2);
    if (resource === undefined || isParam(resource)) return null;
    return {
      kind: 'item',
      resource,
      param: last.slice(1, -1),
      parentResource: null,
      depth: segs.length,
    };
  }
  if (/[{}]/.test(last)) return null;
  const prev = segs.at(-2);
  const parent = isParam(prev) ? prev!.slice(1, -1) : null;
  const parentResource = parent ? (segs.at(-3) ?? null) : null;
  return {
    kind: 'collection',
    resource: last,
    param: parent,
    parentResource: parentResource && !isParam(parentResource) ? parentResource : null,
    depth: segs.length,
  };
}

/** Resource segments that name a query or an action, not a kind of record. */
const QUERY_SEGMENT =
  /^([Ss]earch|[Ff]ind|[Aa]utocomplete|[Ss]uggest)([A-Z_-]|$)|^([Ff]ilter|[Ll]ookup)[A-Z_-]|[a-z]By[A-Z]|(^|[-_])by[-_]/;

/**
 * True when `path` is a search, filter or action endpoint rather than a resource of its own:
 * - its resource segment reads as a query (`findByStatus`, `search`, `lookup-user`);
 * - it hangs by literal segments under another resource's collection (`/users/search` under
 *   `/users`, `/courses/stats/expelled` under `/courses`, `/expenses/number/{n}` under
 *   `/expenses`), where `collections` holds the paths that are collections: a GET that lists, or
 *   an item path declared under them (an API root such as `GET /api/v1/` is neither);
 * - or it has two literal segments after an item (`/courses/{id}/students/available`), a view of
 *   that item rather than a nested resource (`/accounts/{id}/line-items` is one).
 */
export function isSubEndpoint(path: string, collections: ReadonlySet<string>): boolean {
  return subEndpointTest(collections)(path);
}

/**
 * {@link isSubEndpoint} against one set of collections, for many paths: the collections' routes
 * are computed once (per path, entity detection was quadratic in the number of paths).
 */
export function subEndpointTest(collections: ReadonlySet<string>): (path: string) => boolean {
  const normalised = new Set([...collections].map((p) => route(segments(p))));
  return (path) => isSubEndpointOf(path, normalised);
}

function isSubEndpointOf(path: string, normalised: ReadonlySet<string>): boolean {
  const segs = segments(path);
  if (isParam(segs.at(-1))) segs.pop();
  const resource = segs.at(-1);
  if (resource === undefined || isParam(resource)) return false;
  if (QUERY_SEGMENT.test(resource)) return true;
  const lastParam = segs.findLastIndex((x) => isParam(x));
  if (lastParam >= 0 && segs.length - lastParam > 2) return true;
  for (let end = segs.length - 1; end > 0; end--) {
    const prefix = segs.slice(0, end);
    if (isParam(prefix.at(-1))) return false;
    if (normalised.has(route(prefix))) return true;
  }
  return false;
}

/** The paths that are collections: a GET that lists objects, or an item path `P/{x}` under them. */
export function collectionPaths(
  paths: readonly string[],
  lists: (path: string) => boolean,
): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const segs = segments(p);
    if (isParam(segs.at(-1)) && segs.length > 1) out.add('/' + segs.slice(0, -1).join('/'));
    else if (lists(p)) out.add(p);
  }
  return out;
}

/** A nested collection without its parent: `/api/v1/accounts/{account_id}/line-items` → `api/v1/line-items`. */
function flatCollection(collection: string): string[] | null {
  const segs = segments(collection);
  const parentIndex = segs.findIndex((s, i) => isParam(s) && i === segs.length - 2);
  if (parentIndex < 1) return null;
  return [...segs.slice(0, parentIndex - 1), segs.at(-1)!];
}

/** The path with every parameter written `{}`: `/a/{id}` and `/a/{a_id}` are one route. */
function route(segs: string[]): string {
  return segs.map((x) => (isParam(x) ? '{}' : x)).join('/');
}

/**
 * The item paths under `collection`: `collection/{x}` (whatever the parameter is called, as
 * FastAPI apps write `{id}` on one method and `{item_id}` on another), else, for a nested
 * collection, `flat(collection)/{x}`.
 */
export function itemPathsOf(collection: string, items: readonly string[]): string[] {
  const under = (base: string[]) =>
    items.filter((i) => route(segments(i)) === route([...base, '{}']));
  const direct = under(segments(collection));
  if (direct.length > 0) return direct;
  const flat = flatCollection(collection);
  return flat ? under(flat) : [];
}

const routeOf = (path: string): string => route(segments(path));

interface Candidate {
  collection: string | null;
  items: string[];
}

export interface PathMember<T> {
  path: string;
  shape: PathShape;
  role: EntityRole;
  value: T;
}

const LIST: readonly EntityRole[] = ['list'];
const READS: readonly EntityRole[] = ['list', 'get'];
const ALL_ROLES: readonly EntityRole[] = ['list', 'get', 'create', 'update', 'replace', 'delete'];

const ROLE_WEIGHT: Record<EntityRole, number> = {
  list: 8,
  get: 4,
  create: 2,
  update: 1,
  replace: 1,
  delete: 1,
};

/**
 * Picks the entity's collection and item path among the operations of one resource, and splits
 * the operations into the entity's own and the others. A pair with a list wins, then the
 * shallower (`/tasks` over `/courses/{courseId}/tasks`), then the one with a get, then the one
 * with more operations, then the first path in order.
 */
export function choosePaths<T>(members: PathMember<T>[]): {
  collection: string | null;
  item: string | null;
  own: PathMember<T>[];
  others: PathMember<T>[];
} {
  const unique = (kind: PathShape['kind']) =>
    [...new Set(members.filter((m) => m.shape.kind === kind).map((m) => m.path))].sort();
  const collections = unique('collection');
  const items = unique('item');
  const candidates: Candidate[] = collections.map((c) => ({
    collection: c,
    items: itemPathsOf(c, items),
  }));
  const claimed = new Set(candidates.flatMap((c) => c.items));
  for (const route of new Set(items.filter((i) => !claimed.has(i)).map((i) => routeOf(i))))
    candidates.push({ collection: null, items: items.filter((i) => routeOf(i) === route) });
  // One operation per role: the shallowest, then the first in path order, wins (`/a/{id}` GET
  // beside `/a/{a_id}` GET).
  const on = (c: Candidate) => {
    const roles = new Set<EntityRole>();
    return [...members]
      .filter((m) => m.path === c.collection || c.items.includes(m.path))
      .sort((a, b) => a.shape.depth - b.shape.depth || a.path.localeCompare(b.path))
      .filter((m) => !roles.has(m.role) && roles.add(m.role));
  };
  const score = (c: Candidate, roles: readonly EntityRole[]) =>
    on(c).reduce((sum, m) => sum + (roles.includes(m.role) ? ROLE_WEIGHT[m.role] : 0), 0);
  const depth = (c: Candidate) => Math.min(...on(c).map((m) => m.shape.depth));
  const best = [...candidates].sort(
    (a, b) =>
      score(b, LIST) - score(a, LIST) ||
      depth(a) - depth(b) ||
      score(b, READS) - score(a, READS) ||
      score(b, ALL_ROLES) - score(a, ALL_ROLES) ||
      (a.collection ?? a.items[0] ?? '').localeCompare(b.collection ?? b.items[0] ?? ''),
  )[0];
  if (!best) return { collection: null, item: null, own: [], others: members };
  const own = on(best);
  const item = own.find((m) => m.shape.kind === 'item')?.path ?? best.items[0] ?? null;
  return {
    collection: best.collection,
    item,
    own,
    others: members.filter((m) => !own.includes(m)),
  };
}
