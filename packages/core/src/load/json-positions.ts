/**
 * Where a JSON pointer lands in a JSON file's text, without a syntax tree of the whole file.
 *
 * A full tree (jsonc-parser's `parseTree`) allocates a node per value: on a 3.4 MB spec that was
 * about 5 % of a `generate`, to place a few hundred warnings. This index reads only the containers
 * that a pointer goes through: each one's members (keys and where their values start) are listed
 * once, on first use, by skipping over the values; everything else is never looked at. The text is
 * valid JSON (JSON.parse accepted it before anything is located).
 *
 * The answers are those of the jsonc-parser locator it replaces: the deepest node on the pointer's
 * path that exists; for an object member, the offset of its key; the first member of a duplicated
 * key; an array index written as a decimal number.
 */

interface ObjectMembers {
  kind: 'object';
  /** key → [offset of the key's opening quote, offset of the value] (first occurrence kept) */
  members: Map<string, [number, number]>;
}
interface ArrayElements {
  kind: 'array';
  /** offsets of the elements' values */
  elements: number[];
}

const WS = /[ \t\n\r]*/y;
/** The structural characters and quotes, to skip over a container. */
const STRUCTURE = /["{}[\]]/g;
/** The end of a number or literal. */
const SCALAR_END = /[\s,\]}]/g;

export class JsonPositions {
  private readonly containers = new Map<number, ObjectMembers | ArrayElements>();
  /** Offset of the root value. */
  readonly root: number;

  constructor(private readonly text: string) {
    this.root = this.skipWhitespace(0);
  }

  /**
   * Offset of where `tokens` (a parsed JSON pointer) lands: the deepest existing node on its path,
   * the key of an object member, or the root value when not even the first token exists.
   */
  offsetOf(tokens: readonly string[]): number {
    let node = this.root;
    let best = this.root;
    for (const token of tokens) {
      const container = this.container(node);
      if (!container) break;
      if (container.kind === 'object') {
        const member = container.members.get(token);
        if (!member) break;
        best = member[0];
        node = member[1];
      } else {
        const index = Number(token);
        if (!Number.isInteger(index) || index < 0 || index >= container.elements.length) break;
        best = node = container.elements[index]!;
      }
    }
    return best;
  }

  private skipWhitespace(at: number): number {
    WS.lastIndex = at;
    WS.test(this.text);
    return WS.lastIndex;
  }

  /** Offset just past the string whose opening quote is at `at`. */
  private skipString(at: number): number {
    let i = at + 1;
    for (;;) {
      const quote = this.text.indexOf('"', i);
      if (quote === -1) return this.text.length;
      // the quote is escaped when an odd number of backslashes precede it
      let backslashes = 0;
      for (let j = quote - 1; this.text.charCodeAt(j) === 0x5c; j--) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      i = quote + 1;
    }
  }

  /** Offset just past the value that starts at `at`. */
  private skipValue(at: number): number {
    const c = this.text.charCodeAt(at);
    if (c === 0x22) return this.skipString(at);
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      STRUCTURE.lastIndex = at;
      for (;;) {
        const m = STRUCTURE.exec(this.text);
        if (!m) return this.text.length;
        const ch = m[0];
        if (ch === '"') STRUCTURE.lastIndex = this.skipString(m.index);
        else if (ch === '{' || ch === '[') depth++;
        else if (--depth === 0) return m.index + 1;
      }
    }
    SCALAR_END.lastIndex = at;
    const end = SCALAR_END.exec(this.text);
    return end ? end.index : this.text.length;
  }

  /** The members or elements of the object or array at `at` (listed once), else null. */
  private container(at: number): ObjectMembers | ArrayElements | null {
    const known = this.containers.get(at);
    if (known) return known;
    const c = this.text.charCodeAt(at);
    let made: ObjectMembers | ArrayElements;
    if (c === 0x7b) {
      const members = new Map<string, [number, number]>();
      let i = this.skipWhitespace(at + 1);
      while (this.text.charCodeAt(i) === 0x22) {
        const keyEnd = this.skipString(i);
        const raw = this.text.slice(i + 1, keyEnd - 1);
        const key = raw.includes('\\') ? (JSON.parse(this.text.slice(i, keyEnd)) as string) : raw;
        const value = this.skipWhitespace(this.skipWhitespace(keyEnd) + 1); // past the ':'
        if (!members.has(key)) members.set(key, [i, value]);
        i = this.skipWhitespace(this.skipValue(value));
        if (this.text.charCodeAt(i) === 0x2c) i = this.skipWhitespace(i + 1);
      }
      made = { kind: 'object', members };
    } else if (c === 0x5b) {
      const elements: number[] = [];
      let i = this.skipWhitespace(at + 1);
      while (i < this.text.length && this.text.charCodeAt(i) !== 0x5d) {
        elements.push(i);
        i = this.skipWhitespace(this.skipValue(i));
        if (this.text.charCodeAt(i) === 0x2c) i = this.skipWhitespace(i + 1);
        else break;
      }
      made = { kind: 'array', elements };
    } else {
      return null;
    }
    this.containers.set(at, made);
    return made;
  }
}
