/**
 * Deterministic de-duplication of generated names within one scope (properties of a type, cases
 * of an enum, types of a package). Shared by all language modules.
 */

export interface UniqueNamesOptions {
  /**
   * Treat names differing only in case as clashes. Use for type names that become file names
   * (`AbC.kt` and `Abc.kt` are the same file on macOS and Windows).
   */
  caseInsensitive?: boolean;
}

/** Strips Swift/Kotlin backticks: `` `in` `` and `in` name the same identifier. */
function bare(name: string): string {
  return name.length > 2 && name.startsWith('`') && name.endsWith('`') ? name.slice(1, -1) : name;
}

/**
 * Maps each raw name through `fn` and renames clashes in input order: the first occurrence keeps
 * its name, later ones get the smallest free suffix `2`, `3`, … (`_2` after a trailing digit, so
 * `item2` does not become `item22`). Names produced by `fn` without a clash are never taken by a
 * suffixed name (`[a, a, a2]` → `[a, a3, a2]`). Suffixed names drop backticks: a keyword plus
 * digits is no longer a keyword.
 */
export function uniqueNames<T>(
  raws: readonly T[],
  fn: (raw: T) => string,
  options: UniqueNamesOptions = {},
): string[] {
  const key = (name: string): string =>
    options.caseInsensitive ? bare(name).toLowerCase() : bare(name);
  const names = raws.map((raw) => fn(raw));
  const claimed = new Set<string>();
  const keeps = names.map((name) => {
    const k = key(name);
    if (claimed.has(k)) return false;
    claimed.add(k);
    return true;
  });
  return names.map((name, i) => {
    if (keeps[i]) return name;
    const base = bare(name);
    if (!/^[A-Za-z0-9_$]+$/.test(base)) {
      throw new Error(
        `uniqueNames: cannot add a suffix to non-identifier name ${JSON.stringify(name)}`,
      );
    }
    const sep = /[0-9]$/.test(base) ? '_' : '';
    for (let n = 2; ; n++) {
      const candidate = `${base}${sep}${n}`;
      if (!claimed.has(key(candidate))) {
        claimed.add(key(candidate));
        return candidate;
      }
    }
  });
}
