/** JSON Pointer (RFC 6901) helpers. */

/** `#/a/b~1c` or `/a/b~1c` → ['a', 'b/c']. */
export function parsePointer(pointer: string): string[] {
  let p = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (p === '') return [];
  try {
    p = decodeURIComponent(p);
  } catch {
    // A pointer with a stray % is used as written.
  }
  return p
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** ['a', 'b/c'] → '/a/b~1c' (no leading #). */
export function formatPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Appends tokens to a pointer. */
export function child(pointer: string, ...tokens: (string | number)[]): string {
  return pointer + formatPointer(tokens);
}

/** Reads the value a pointer names, or undefined. */
export function getAt(value: unknown, pointer: string): unknown {
  let node: unknown = value;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (node !== null && typeof node === 'object') {
      node = Object.prototype.hasOwnProperty.call(node, token)
        ? (node as Record<string, unknown>)[token]
        : undefined;
    } else return undefined;
  }
  return node;
}
