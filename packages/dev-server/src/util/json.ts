/**
 * JSON helpers that are safe for any property name a spec may declare.
 *
 * Property names come from user specs, so they can be `constructor`, `toString`, `__proto__` or
 * `名前`. Plain `obj[name]` reads inherited members of Object.prototype (a body without
 * `constructor` would "have" one), and `obj['__proto__'] = v` replaces the prototype instead of
 * setting a property. Every read of a client object goes through {@link own}, and every object
 * the server builds from column names through {@link record} / {@link put}.
 */

/** An empty object without a prototype: any key is an ordinary own property. */
export function record<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/**
 * Sets an own, enumerable property, even for `__proto__`. Only `__proto__` needs
 * `defineProperty` (its setter on Object.prototype would replace the prototype); any other name
 * is an ordinary assignment, which makes an own property (about 5× cheaper, on every field of
 * every row a write answers).
 */
export function put<V>(target: Record<string, V>, key: string, value: V): void {
  if (key !== '__proto__') {
    target[key] = value;
    return;
  }
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The object's own property `key`, or undefined (never an inherited member). */
export function own<V>(obj: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * JSON text with every non-ASCII character escaped (`\u540d`): HTTP header values must be
 * Latin-1 (Node refuses anything else), and JSON.parse on the receiving side reads the escapes
 * back to the same string. Used for the `electric-schema` header.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The nesting depth of a JSON value, computed without recursion, stopping once it exceeds
 * `limit` (so a hostile 100k-deep body costs no more than `limit` levels of work).
 */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, d: d + 1 });
  }
  return false;
}
