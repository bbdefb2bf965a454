import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as gen from './kotlin.js';

/** kotlinlang.org/docs/keyword-reference.html, "Hard keywords". */
// prettier-ignore
const HARD_KEYWORDS = [
  'as', 'break', 'class', 'continue', 'do', 'else', 'false', 'for', 'fun', 'if', 'in',
  'interface', 'is', 'null', 'object', 'package', 'return', 'super', 'this', 'throw', 'true',
  'try', 'typealias', 'typeof', 'val', 'var', 'when', 'while',
];
/** Soft and modifier keywords: legal identifiers in property/parameter/local position. */
// prettier-ignore
const SOFT_KEYWORDS = ['by', 'catch', 'constructor', 'field', 'get', 'init', 'set', 'value',
  'where', 'data', 'enum', 'open', 'override', 'private', 'inner', 'out', 'suspend', 'it'];
/** Types generated code names unqualified; a model type must not shadow them. */
// prettier-ignore
const SHADOWED_TYPES = ['Any', 'Unit', 'Nothing', 'String', 'Int', 'Long', 'Boolean', 'Double',
  'List', 'Map', 'Set', 'Result', 'Array', 'Pair', 'Error', 'Serializable', 'Instant'];
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A legal member/local name: a bare non-hard-keyword, or any identifier in backticks. */
function isValidMember(name: string): boolean {
  const quoted = /^`([A-Za-z_][A-Za-z0-9_]*)`$/.exec(name);
  if (quoted) return !/^_+$/.test(quoted[1]!);
  return IDENT.test(name) && !HARD_KEYWORDS.includes(name) && !/^_+$/.test(name);
}

/**
 * Reference reader for a Kotlin single-line string literal (Kotlin spec "Characters" and
 * "String templates"): escapes `\t \b \n \r \' \" \\ \$` and `\uXXXX` (exactly four hex
 * digits, one UTF-16 unit); any other escape is an error; a bare `"` ends the literal; raw CR/LF
 * are not allowed. Any unescaped `$` is rejected (stricter than kotlinc, which only starts a
 * template at `$identifier` or `${`).
 */
function readKotlinLiteral(lit: string): string {
  if (lit.length < 2 || !lit.startsWith('"') || !lit.endsWith('"')) throw new Error('not quoted');
  const simple: Record<string, string> = {
    t: '\t',
    b: '\b',
    n: '\n',
    r: '\r',
    "'": "'",
    '"': '"',
    '\\': '\\',
    $: '$',
  };
  let out = '';
  for (let i = 1; i < lit.length - 1; i++) {
    const c = lit[i]!;
    if (c === '"') throw new Error('unescaped quote ends the literal early');
    if (c === '\n' || c === '\r') throw new Error('raw line break');
    if (c === '$') throw new Error('unescaped $ may start a template');
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= lit.length - 1) throw new Error('escape swallows the closing quote');
    const e = lit[i]!;
    if (simple[e] !== undefined) {
      out += simple[e];
    } else if (e === 'u' && /^[0-9A-Fa-f]{4}/.test(lit.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(lit.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      throw new Error(`invalid escape \\${e}`);
    }
  }
  return out;
}

/** Index just past the comment opened at 0, honouring Kotlin's nested block comments; -1 if open. */
function kotlinCommentEnd(src: string): number {
  let depth = 0;
  for (let i = 0; i < src.length - 1; i++) {
    if (src[i] === '/' && src[i + 1] === '*') {
      depth++;
      i++;
    } else if (src[i] === '*' && src[i + 1] === '/') {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

// prettier-ignore
const NASTY = [
  '', '"', "'", '\\', '${x}', '$x', '$', '\\$x', '\\(x)', '*/', '/*', '/*/', '\n', '\r\n',
  '\u2028', '😀', '👨‍👩‍👧', '\0', '\x07\x1b\x7f', '\u202Eevil', '\uFEFF', '\uD800', 'a\tb', '"""',
  '\u{E0001}',
];

describe("Kotlin's default imports (issue #10: a type Metadata meant kotlin.Metadata)", () => {
  it.each([
    ['Metadata', 'MetadataModel'],
    ['metadata', 'MetadataModel'],
    ['Record', 'RecordModel'],
    ['module', 'ModuleModel'],
    ['Process', 'ProcessModel'],
    ['regex', 'RegexModel'],
    ['Thread', 'ThreadModel'],
    ['IntRange', 'IntRangeModel'],
    ['Metadatum', 'Metadatum'],
    ['Records', 'Records'],
  ])('typeName(%s) = %s', (given, want) => {
    expect(gen.typeName(given)).toBe(want);
  });

  it('no default-imported class name survives as a type name', () => {
    expect([...gen.DEFAULT_IMPORTED_TYPE_NAMES].filter((n) => gen.typeName(n) === n)).toEqual([]);
  });
});

describe('reserved words', () => {
  it('RESERVED covers every hard keyword', () => {
    expect(HARD_KEYWORDS.filter((w) => !gen.RESERVED.has(w))).toEqual([]);
  });

  it.each([...HARD_KEYWORDS, ...SOFT_KEYWORDS])(
    '%s becomes a usable member and type name',
    (word) => {
      for (const name of [gen.propertyName(word), gen.identifier(word)]) {
        expect(isValidMember(name), name).toBe(true);
      }
      const entry = gen.enumCaseName(word);
      expect(entry).toMatch(/^[A-Z_][A-Z0-9_]*$/);
      const type = gen.typeName(word);
      expect(type).toMatch(IDENT);
      expect(SHADOWED_TYPES).not.toContain(type);
    },
  );

  it.each<{ given: string; member: string; type: string }>([
    { given: 'when', member: '`when`', type: 'When' },
    { given: 'in', member: '`in`', type: 'In' },
    { given: 'object', member: '`object`', type: 'ObjectModel' },
    { given: 'value', member: 'value', type: 'Value' },
    { given: 'data', member: 'data', type: 'Data' },
    { given: 'string', member: 'string', type: 'StringModel' },
    { given: 'result', member: 'result', type: 'ResultModel' },
    { given: 'unit', member: 'unit', type: 'UnitModel' },
    { given: 'list', member: 'list', type: 'ListModel' },
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
    'name',
    'ordinal',
    'In Progress',
    '日本',
  ] as const;

  it.each<{ given: gen.EnumValue; want: string }>([
    { given: '', want: 'EMPTY' },
    { given: 'in-progress', want: 'IN_PROGRESS' },
    { given: 'inProgress', want: 'IN_PROGRESS' },
    { given: '2fa', want: '_2FA' },
    { given: 'with space', want: 'WITH_SPACE' },
    { given: 'it\'s "quoted"', want: 'ITS_QUOTED' },
    { given: 'ÜBER', want: 'UBER' },
    { given: null, want: 'NULL' },
    { given: '-1', want: 'MINUS_1' },
    { given: '1.5', want: '_1_5' },
    { given: 1, want: '_1' },
  ])('$given -> $want', ({ given, want }) => {
    expect(gen.enumCaseName(given)).toBe(want);
  });

  it('awkward values give valid, unique entries', () => {
    const names = gen.uniqueNames([...AWKWARD], gen.enumCaseName);
    expect(new Set(names).size).toBe(AWKWARD.length);
    for (const n of names) expect(n).toMatch(/^[A-Z_][A-Z0-9_]*$/);
  });
});

describe('stringLiteral', () => {
  it.each(NASTY.map((s) => [JSON.stringify(s), s] as const))('%s round-trips', (_, value) => {
    const lit = gen.stringLiteral(value);
    expect(readKotlinLiteral(lit)).toBe(value);
    expect(lit).not.toMatch(/[\n\r\u2028]/);
    expect(lit).not.toMatch(/(^|[^\\])(\\\\)*\$/);
    expect(gen.rawEnumWireValue(value)).toBe(lit);
  });

  it.each<{ given: string; want: string }>([
    { given: '${x}', want: '"\\${x}"' },
    { given: 'cost: $5', want: '"cost: \\$5"' },
    { given: '\0', want: '"\\u0000"' },
    { given: '\u{E0001}', want: '"\\uDB40\\uDC01"' },
    { given: '\uD800', want: '"\\uD800"' },
  ])('$given -> $want', ({ given, want }) => {
    expect(gen.stringLiteral(given)).toBe(want);
  });

  it('round-trips any string, lone surrogates included', () => {
    const unit = fc.oneof(
      fc.constantFrom('\\', '$', '{', '"', '\n', '\r', '\u2028', '\0', 'u'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (s) => {
        expect(readKotlinLiteral(gen.stringLiteral(s))).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('docComment', () => {
  it.each<{ given: string; indent: string; want: string }>([
    { given: '', indent: '', want: '' },
    { given: 'Hello', indent: '    ', want: '    /** Hello */\n' },
    { given: 'a /* b */ c', indent: '', want: '/** a /\\* b *\\/ c */\n' },
    { given: '/*/', indent: '', want: '/** /\\*\\/ */\n' },
    { given: 'a\n\nb', indent: '', want: '/**\n * a\n *\n * b\n */\n' },
  ])('$given', ({ given, indent, want }) => {
    expect(gen.docComment(given, indent)).toBe(want);
  });

  it.each(NASTY.map((s) => [JSON.stringify(s), `x${s}y*/z/*`] as const))(
    '%s: the KDoc ends exactly at its closing */ (comments nest)',
    (_, text) => {
      const doc = gen.docComment(text, '  ');
      expect(kotlinCommentEnd(doc.trimStart())).toBe(doc.trimStart().trimEnd().length);
    },
  );

  it('no text can leave the KDoc open or close it early', () => {
    const unit = fc.oneof(
      fc.constantFrom('/', '*', '\n', ' ', 'a'),
      fc.string({ unit: 'binary', maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const doc = gen.docComment(text).trimEnd();
        if (doc === '') return;
        expect(kotlinCommentEnd(doc)).toBe(doc.length);
      }),
      { numRuns: 2000 },
    );
  });
});
