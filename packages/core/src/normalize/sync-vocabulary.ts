import type { SyncConfig, SyncMode } from '../ir/types.js';
import { at, isObject, sourceRef, type LoadContext, type Located } from '../load/context.js';

/**
 * The sync vocabulary, in one place. See the README's table; every spelling here has exactly one
 * meaning, and anything else is an error (never a silent fallback to push).
 *
 * | written                                   | means                        |
 * | ----------------------------------------- | ---------------------------- |
 * | (nothing)                                 | push                         |
 * | `push`, `api`                             | push                         |
 * | `live`, `realtime`, `local_first`         | live, optimistic writes      |
 * | `{mode: live, local_first: false}`        | live, confirmed writes       |
 * | `{local_first: true}`                     | live, optimistic writes      |
 * | `cache`                                   | error: not supported yet     |
 */
const MODE_SPELLINGS: Record<string, SyncMode> = {
  push: 'push',
  api: 'push',
  live: 'live',
  realtime: 'live',
  local_first: 'live',
};
const ALLOWED = 'push, live (legacy spellings: api, realtime, local_first)';
const OBJECT_KEYS = ['mode', 'local_first'];

/** Extensions we know on path items / operations; other `x-sync*` keys draw a typo warning. */
const KNOWN_EXTENSIONS = new Set([
  'x-sync',
  'x-sync-mode',
  'x-sync-table',
  'x-sync-bind',
  'x-sync-batch',
  'x-sync-exclude',
  'x-owner-only',
  'x-rbac',
]);

export interface SyncAnnotation {
  mode: SyncMode;
  localFirst: boolean;
  /** Where the deciding annotation was written. */
  at: Located;
}

/**
 * Reads `x-sync` / `x-sync-mode` on a path item or operation object. Returns null when neither is
 * written, and `'invalid'` after reporting an error.
 */
export function readSyncAnnotation(
  ctx: LoadContext,
  owner: Located,
): SyncAnnotation | null | 'invalid' {
  const o = owner.value;
  if (!isObject(o)) return null;
  warnUnknownExtensions(ctx, owner);
  const fromSync = 'x-sync' in o ? parseValue(ctx, at(owner, 'x-sync'), 'x-sync') : null;
  const fromMode =
    'x-sync-mode' in o ? parseValue(ctx, at(owner, 'x-sync-mode'), 'x-sync-mode') : null;
  if (fromSync === 'invalid' || fromMode === 'invalid') return 'invalid';
  if (
    fromSync &&
    fromMode &&
    (fromSync.mode !== fromMode.mode || fromSync.localFirst !== fromMode.localFirst)
  ) {
    ctx.report(
      'SP0207',
      `x-sync says ${describe(fromSync)} but x-sync-mode says ${describe(fromMode)}.`,
      at(owner, 'x-sync-mode'),
      'Keep one of the two annotations (x-sync is preferred).',
    );
    return 'invalid';
  }
  return fromSync ?? fromMode;
}

export function describe(a: { mode: SyncMode; localFirst: boolean }): string {
  return a.mode === 'push'
    ? '"push"'
    : a.localFirst
      ? '"live" (optimistic)'
      : '"live" with local_first: false (confirmed)';
}

export function toSyncConfig(a: SyncAnnotation | null): SyncConfig {
  if (!a) return { mode: 'push', localFirst: false, declaredAt: null };
  return {
    mode: a.mode,
    localFirst: a.mode === 'live' && a.localFirst,
    declaredAt: sourceRef(a.at),
  };
}

function parseValue(ctx: LoadContext, loc: Located, key: string): SyncAnnotation | 'invalid' {
  const v = loc.value;
  if (typeof v === 'string') {
    const mode = parseMode(ctx, loc, v, key);
    return mode === 'invalid' ? mode : { mode, localFirst: mode === 'live', at: loc };
  }
  if (key === 'x-sync' && isObject(v)) return parseObject(ctx, loc, v);
  ctx.report(
    'SP0214',
    `${key} must be ${key === 'x-sync' ? 'a mode string or an object {mode, local_first}' : 'a mode string'}, not ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}.`,
    loc,
    `Write \`${key}: live\` or \`${key}: push\`.`,
  );
  return 'invalid';
}

function parseMode(ctx: LoadContext, loc: Located, raw: string, key: string): SyncMode | 'invalid' {
  const mode = MODE_SPELLINGS[raw];
  if (mode) return mode;
  if (raw === 'cache') {
    ctx.report(
      'SP0202',
      `Sync mode "cache" is not supported yet.`,
      loc,
      'Use "push" (API calls with caching by TanStack Query) until cache mode ships.',
    );
    return 'invalid';
  }
  const lower = raw.trim().toLowerCase();
  const near = MODE_SPELLINGS[lower] ? lower : closest(lower, Object.keys(MODE_SPELLINGS));
  ctx.report(
    'SP0201',
    `Unknown sync mode "${raw}" in ${key}. Allowed values: ${ALLOWED}.`,
    loc,
    near ? `Did you mean "${near}"?` : undefined,
  );
  return 'invalid';
}

function parseObject(
  ctx: LoadContext,
  loc: Located,
  v: Record<string, unknown>,
): SyncAnnotation | 'invalid' {
  let ok = true;
  for (const k of Object.keys(v)) {
    if (OBJECT_KEYS.includes(k)) continue;
    const near = closest(k.toLowerCase().replace(/[-\s]/g, '_'), OBJECT_KEYS);
    ctx.report(
      'SP0203',
      `Unknown key "${k}" in x-sync. Allowed keys: mode, local_first.`,
      at(loc, k),
      near ? `Did you mean "${near}"?` : undefined,
    );
    ok = false;
  }
  let mode: SyncMode | null = null;
  if ('mode' in v) {
    if (typeof v.mode !== 'string') {
      ctx.report('SP0214', `x-sync.mode must be a string (${ALLOWED}).`, at(loc, 'mode'));
      ok = false;
    } else {
      const m = parseMode(ctx, at(loc, 'mode'), v.mode, 'x-sync.mode');
      if (m === 'invalid') ok = false;
      else mode = m;
    }
  }
  let localFirst: boolean | null = null;
  if ('local_first' in v) {
    if (typeof v.local_first !== 'boolean') {
      ctx.report(
        'SP0204',
        `x-sync.local_first must be true or false, not ${JSON.stringify(v.local_first)}.`,
        at(loc, 'local_first'),
        'Write `local_first: true` (optimistic writes) or `local_first: false` (confirmed writes).',
      );
      ok = false;
    } else localFirst = v.local_first;
  }
  if (!ok) return 'invalid';
  if (mode === 'push' && localFirst === true) {
    ctx.report(
      'SP0205',
      'x-sync says mode "push" with local_first: true; push mode has no local database.',
      loc,
      'Write `mode: live` for local-first writes, or drop `local_first`.',
    );
    return 'invalid';
  }
  if (mode === null && localFirst === false) {
    ctx.report(
      'SP0206',
      'x-sync has `local_first: false` but no mode, which could mean push or live with confirmed writes.',
      loc,
      'Write `{mode: live, local_first: false}` for confirmed writes, or `push`.',
    );
    return 'invalid';
  }
  if (mode === null && localFirst === null) {
    ctx.report(
      'SP0206',
      'x-sync is an empty object.',
      loc,
      'Write `x-sync: live` or `x-sync: push`.',
    );
    return 'invalid';
  }
  const resolved: SyncMode = mode ?? 'live';
  return {
    mode: resolved,
    localFirst: resolved === 'live' ? (localFirst ?? true) : false,
    at: loc,
  };
}

/** Reads a boolean sync flag on a property schema (`x-sync-exclude`, `x-owner-only`). */
export function readSyncFlag(
  ctx: LoadContext,
  loc: Located,
  key: 'x-sync-exclude' | 'x-owner-only',
): boolean {
  const v = loc.value;
  if (!isObject(v) || !(key in v)) return false;
  const flag = v[key];
  if (typeof flag === 'boolean') return flag;
  ctx.report(
    'SP0209',
    `${key} must be true or false, not ${JSON.stringify(flag)}.`,
    at(loc, key),
    `Write \`${key}: true\`.`,
  );
  return false;
}

function warnUnknownExtensions(ctx: LoadContext, owner: Located): void {
  for (const k of Object.keys(owner.value as object)) {
    if (!/^x-(sync|owner|rbac)/i.test(k) || KNOWN_EXTENSIONS.has(k)) continue;
    const near = closest(k.toLowerCase(), [...KNOWN_EXTENSIONS]);
    ctx.report(
      'SP0213',
      `Unknown extension "${k}" is ignored.`,
      at(owner, k),
      near ? `Did you mean "${near}"?` : undefined,
    );
  }
}

/** The closest candidate within edit distance 2, for "did you mean" hints. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = Math.min(
        dp[i - 1]![j]! + 1,
        dp[i]![j - 1]! + 1,
        dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return dp[a.length]![b.length]!;
}
