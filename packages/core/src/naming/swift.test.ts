import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as gen from './swift.js';

/** TSPL "Lexical Structure › Keywords and Punctuation": keywords that need backticks. */
// prettier-ignore
const SWIFT_KEYWORDS = [
  'associatedtype', 'borrowing', 'class', 'consuming', 'deinit', 'enum', 'extension',
  'fileprivate', 'func', 'import', 'init', 'inout', 'internal', 'let', 'nonisolated', 'open',
  'operator', 'private', 'precedencegroup', 'protocol', 'public', 'rethrows', 'static', 'struct',
  'subscript', 'typealias', 'var', 'break', 'case', 'catch', 'continue', 'default', 'defer', 'do',
  'else', 'fallthrough', 'for', 'guard', 'if', 'in', 'repeat', 'return', 'throw', 'switch',
  'where', 'while', 'Any', 'as', 'await', 'false', 'is', 'nil', 'self', 'Self', 'super', 'throws',
  'true', 'try', '_',
];
/** Context-specific keywords the brief calls out; must still come out usable. */
// prettier-ignore
const SWIFT_CONTEXTUAL = ['Type', 'Protocol', 'some', 'any', 'actor', 'async', 'none', 'get', 'set'];
/** Backticks do not help these in member position (`x.self`, `x.init`, `T.Type`). */
const NOT_ESCAPABLE = ['self', 'Self', 'init', 'Type', 'Protocol', '_'];
/** Types generated code names unqualified; a model type must not shadow them. */
// prettier-ignore
const SHADOWED_TYPES = ['Type', 'Protocol', 'Self', 'Any', 'String', 'Int', 'Bool', 'Double',
  'Data', 'Date', 'URL', 'UUID', 'Error', 'Result', 'Array', 'Dictionary', 'Optional', 'Decimal'];
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A legal member/case/local name: a bare non-keyword, or a backticked name backticks can fix. */
function isValidMember(name: string): boolean {
  const quoted = /^`([A-Za-z_][A-Za-z0-9_]*)`$/.exec(name);
  if (quoted) return !NOT_ESCAPABLE.includes(quoted[1]!);
  return IDENT.test(name) && !SWIFT_KEYWORDS.includes(name);
}

/**
 * Reference reader for a single-line Swift string literal (TSPL "Strings and Characters › Special
 * Characters in String Literals"): `\0 \\ \t \n \r \" \'` and `\u{n}` with 1–8 hex digits naming
 * a Unicode scalar; `\(` starts an interpolation and any other escape is a compile error; a bare
 * `"` ends the literal; raw CR/LF are not allowed. Throws where swiftc would reject or differ.
 */
function readSwiftLiteral(lit: string): string {
  if (lit.length < 2 || !lit.startsWith('"') || !lit.endsWith('"')) throw new Error('not quoted');
  const simple: Record<string, string> = {
    '0': '\0',
    '\\': '\\',
    t: '\t',
    n: '\n',
    r: '\r',
    '"': '"',
    "'": "'",
  };
  let out = '';
  for (let i = 1; i < lit.length - 1; i++) {
    const c = lit[i]!;
    if (c === '"') throw new Error('unescaped quote ends the literal early');
    if (c === '\n' || c === '\r') throw new Error('raw line break');
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= lit.length - 1) throw new Error('escape swallows the closing quote');
    const e = lit[i]!;
    if (e === '(') throw new Error('interpolation');
    if (simple[e] !== undefined) {
      out += simple[e];
    } else if (e === 'u') {
      const m = /^\{([0-9A-Fa-f]{1,8})\}/.exec(lit.slice(i + 1));
      if (!m) throw new Error('bad \\u escape');
      const cp = parseInt(m[1]!, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new Error('not a Unicode scalar');
      out += String.fromCodePoint(cp);
      i += m[0].length;
    } else {
      throw new Error(`invalid escape \\${e}`);
    }
  }
  return out;
}

// prettier-ignore
const NASTY = [
  '', '"', "'", '\\', '${x}', '\\(x)', '\\\\(x)', '$x', '*/', '/*', '\n', '\r\n', '\u2028', '😀',
  '👨‍👩‍👧', '\0', '\u00001', '\x07\x1b\x7f', '\u202Eevil', '\uFEFF', 'a\tb', '#"raw"#', '"""',
];

describe('reserved words', () => {
  it('RESERVED covers every Swift keyword', () => {
    expect(SWIFT_KEYWORDS.filter((w) => !gen.RESERVED.has(w))).toEqual([]);
  });

  it.each([...SWIFT_KEYWORDS, ...SWIFT_CONTEXTUAL])(
    '%s becomes a usable member and type name',
    (word) => {
      for (const name of [gen.propertyName(word), gen.identifier(word), gen.enumCaseName(word)]) {
        expect(isValidMember(name), name).toBe(true);
      }
      const type = gen.typeName(word);
      expect(type).toMatch(IDENT);
      expect(SWIFT_KEYWORDS).not.toContain(type);
      expect(SHADOWED_TYPES).not.toContain(type);
    },
  );

  it.each<{ given: string; member: string; type: string }>([
    { given: 'default', member: '`default`', type: 'Default' },
    { given: 'in', member: '`in`', type: 'In' },
    { given: 'self', member: 'selfValue', type: 'SelfModel' },
    { given: 'init', member: 'initValue', type: 'Init' },
    { given: 'Type', member: 'type', type: 'TypeModel' },
    { given: 'Protocol', member: '`protocol`', type: 'ProtocolModel' },
    { given: 'data', member: 'data', type: 'DataModel' },
    { given: 'error', member: 'error', type: 'ErrorModel' },
    { given: 'required', member: 'required', type: 'Required' },
    { given: '2fa_code', member: '_2faCode', type: '_2faCode' },
  ])('$given -> $member / $type', ({ given, member, type }) => {
    expect(gen.propertyName(given)).toBe(member);
    expect(gen.typeName(given)).toBe(type);
  });
});

describe('enumCaseName', () => {
  const AWKWARD = [
    '',
    'in-progress',
    '2fa',
    'with space',
    'it\'s "quoted"',
    'ÜBER',
    null,
    'null',
    '-1',
    '1.5',
    '15',
    1,
    '1',
    true,
    'true',
    'default',
    'self',
    'In Progress',
    '日本',
  ] as const;

  it.each<{ given: gen.EnumValue; want: string }>([
    { given: '', want: 'empty' },
    { given: 'in-progress', want: 'inProgress' },
    { given: '2fa', want: '_2fa' },
    { given: 'ÜBER', want: 'uber' },
    { given: null, want: 'null' },
    { given: true, want: '`true`' },
    { given: '-1', want: 'minus1' },
    { given: '1.5', want: '_1_5' },
    { given: 1, want: '_1' },
    { given: 'default', want: '`default`' },
    { given: 'self', want: 'selfValue' },
  ])('$given -> $want', ({ given, want }) => {
    expect(gen.enumCaseName(given)).toBe(want);
  });

  it('awkward values give valid, unique cases', () => {
    const names = gen.uniqueNames([...AWKWARD], gen.enumCaseName);
    expect(new Set(names.map((n) => n.replaceAll('`', ''))).size).toBe(AWKWARD.length);
    for (const n of names) expect(isValidMember(n), n).toBe(true);
  });
});

describe('stringLiteral', () => {
  it.each(NASTY.map((s) => [JSON.stringify(s), s] as const))('%s round-trips', (_, value) => {
    const lit = gen.stringLiteral(value);
    expect(readSwiftLiteral(lit)).toBe(value);
    expect(lit).not.toMatch(/[\n\r\u2028]/);
    expect(lit.replaceAll('\\\\', '')).not.toContain('\\(');
    expect(gen.rawEnumWireValue(value)).toBe(lit);
  });

  it.each<{ given: string; want: string }>([
    { given: '\\(x)', want: '"\\\\(x)"' },
    { given: 'say "hi"', want: '"say \\"hi\\""' },
    { given: '\0' + '1', want: '"\\u{0}1"' },
    { given: '\u2028', want: '"\\u{2028}"' },
    { given: '$x', want: '"$x"' },
    { given: '\uD800', want: '"\\u{FFFD}"' },
  ])('$given -> $want', ({ given, want }) => {
    expect(gen.stringLiteral(given)).toBe(want);
  });

  it('round-trips any string (lone surrogates become U+FFFD, which Swift cannot represent)', () => {
    const unit = fc.oneof(
      fc.constantFrom('\\', '(', '"', '$', '\n', '\r', '\u2028', '\0', '#'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (s) => {
        const lit = gen.stringLiteral(s);
        expect(lit).not.toMatch(/\p{Cs}/u);
        expect(readSwiftLiteral(lit)).toBe(s.replace(/\p{Cs}/gu, '\uFFFD'));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('docComment', () => {
  it.each<{ given: string; indent: string; want: string }>([
    { given: '', indent: '', want: '' },
    { given: '\n \n', indent: '', want: '' },
    { given: 'Hello', indent: '    ', want: '    /// Hello\n' },
    { given: 'a\r\n\rb\u2028c */', indent: '', want: '/// a\n///\n/// b\n/// c */\n' },
  ])('$given', ({ given, indent, want }) => {
    expect(gen.docComment(given, indent)).toBe(want);
  });

  it('every output line is a /// comment line, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const doc = gen.docComment(text, '  ');
        if (doc === '') return;
        expect(doc.endsWith('\n')).toBe(true);
        for (const line of doc.slice(0, -1).split('\n')) {
          expect(line).toMatch(/^ {2}\/\/\/( .*)?$/su);
          expect(line).not.toMatch(/[\r\u0085\u2028\u2029\0]/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
