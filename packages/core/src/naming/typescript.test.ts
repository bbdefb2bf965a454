import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as gen from './typescript.js';

/** ECMA-262 ReservedWord + strict-mode reserved words + module `await` + strict `arguments`/`eval`. */
// prettier-ignore
const JS_RESERVED = [
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default',
  'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function',
  'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this',
  'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static',
  'arguments', 'eval',
];
/** TS keywords that are legal bindings but are type names; used to probe `typeName`. */
// prettier-ignore
const TS_TYPE_KEYWORDS = [
  'any', 'unknown', 'never', 'number', 'string', 'boolean', 'symbol', 'object', 'bigint',
  'undefined', 'type', 'namespace', 'module', 'declare', 'readonly', 'keyof', 'infer', 'is',
  'as', 'of', 'satisfies', 'asserts', 'abstract', 'async', 'get', 'set', 'from', 'global',
];
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// prettier-ignore
const NASTY = [
  '', '"', "'", '\\', '${x}', '`tpl`', '\\(x)', '$x', '*/', '/*', '\n', '\r\n', '\u2028',
  '\u2029', '😀', '👨‍👩‍👧', '\0', '\u00001', '\x07\x1b\x7f', '\u202Eevil', '\uFEFF', '\uD800',
  '\uDC00x', 'a\tb', 'é', '\u00A0', '</script>',
];

/** Type-checks a generated module with the real compiler (lib es2022 + dom); returns messages. */
function compile(source: string): string[] {
  const fileName = '/virtual/probe.ts';
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, source, lang)
      : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('reserved words', () => {
  it('RESERVED covers every JS reserved word', () => {
    expect(JS_RESERVED.filter((w) => !gen.RESERVED.has(w))).toEqual([]);
  });

  it.each(JS_RESERVED)('%s becomes a legal, non-reserved identifier and type name', (word) => {
    for (const name of [gen.identifier(word), gen.propertyName(word)]) {
      expect(name).toMatch(IDENT);
      expect(JS_RESERVED).not.toContain(name);
    }
    expect(gen.typeName(word)).toMatch(/^[A-Z_][A-Za-z0-9_]*$/);
  });

  it.each<{ given: string; ident: string; type: string }>([
    { given: 'default', ident: 'default_', type: 'Default' },
    { given: 'delete', ident: 'delete_', type: 'Delete' },
    { given: 'type', ident: 'type', type: 'Type' },
    { given: 'date', ident: 'date', type: 'DateModel' },
    { given: 'record', ident: 'record', type: 'RecordModel' },
    { given: 'response', ident: 'response', type: 'ResponseModel' },
    { given: '2fa_settings', ident: '_2faSettings', type: '_2faSettings' },
    { given: 'first_name', ident: 'firstName', type: 'FirstName' },
    { given: '', ident: 'empty', type: 'Empty' },
    { given: '日本', ident: 'u65e5U672c', type: 'U65e5U672c' },
  ])('$given -> $ident / $type', ({ given, ident, type }) => {
    expect(gen.identifier(given)).toBe(ident);
    expect(gen.typeName(given)).toBe(type);
  });

  it('generated names compile in every position (tsc, strict module)', () => {
    const words = [...JS_RESERVED, ...TS_TYPE_KEYWORDS, 'date', 'promise', 'error', 'map'];
    const types = gen.uniqueNames(words, gen.typeName);
    const idents = gen.uniqueNames(words, gen.identifier);
    const keys = words.map((w) => gen.propertyKey(w));
    const src = [
      // a type named after a global must not shadow it
      ...types.map((t) => `export interface ${t} { x: 1 }`),
      `export const now: Date = new Date();`,
      `export const p: Promise<Map<string, Error>> = Promise.resolve(new Map());`,
      // identifiers as parameters and as destructuring targets; keys in literals and patterns
      `export function probe(${idents.map((i) => `${i}: number`).join(', ')}): number {`,
      `  const source = { ${keys.map((k) => `${k}: 1`).join(', ')} };`,
      `  const { ${keys.map((k, i) => `${k}: ${idents[i]!}2`).join(', ')} } = source;`,
      `  return ${idents.map((i) => `${i} + ${i}2`).join(' + ')};`,
      `}`,
    ].join('\n');
    expect(compile(src)).toEqual([]);
  });
});

describe('propertyKey', () => {
  it.each<{ given: string; want: string }>([
    { given: 'firstName', want: 'firstName' },
    { given: 'first-name', want: "'first-name'" },
    { given: 'default', want: 'default' },
    { given: '$ref', want: '$ref' },
    { given: '123', want: "'123'" },
    { given: '', want: "''" },
    { given: 'ÜBER', want: "'ÜBER'" },
    { given: "it's", want: "'it\\'s'" },
    { given: '__proto__', want: "['__proto__']" },
  ])('$given -> $want', ({ given, want }) => {
    expect(gen.propertyKey(given)).toBe(want);
  });

  it('__proto__ key defines an own property in an object literal', () => {
    const obj = new Function(`return { ${gen.propertyKey('__proto__')}: 1 }`)() as object;
    expect(Object.keys(obj)).toEqual(['__proto__']);
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
    '+',
    '-',
    'In Progress',
    '日本',
  ] as const;

  it.each<{ given: gen.EnumValue; want: string }>([
    { given: '', want: 'Empty' },
    { given: 'in-progress', want: 'InProgress' },
    { given: '2fa', want: '_2fa' },
    { given: 'with space', want: 'WithSpace' },
    { given: 'it\'s "quoted"', want: 'ItsQuoted' },
    { given: 'ÜBER', want: 'Uber' },
    { given: null, want: 'Null' },
    { given: '-1', want: 'Minus1' },
    { given: '1.5', want: '_1_5' },
    { given: 1, want: '_1' },
    { given: '+', want: 'Plus' },
  ])('$given -> $want', ({ given, want }) => {
    expect(gen.enumCaseName(given)).toBe(want);
  });

  it('awkward values give valid, unique keys that compile', () => {
    const names = gen.uniqueNames([...AWKWARD], gen.enumCaseName);
    expect(new Set(names).size).toBe(AWKWARD.length);
    for (const n of names) expect(n).toMatch(IDENT);
    const body = names.map((n, i) => `${n}: ${gen.stringLiteral(String(AWKWARD[i]))}`).join(', ');
    expect(
      compile(`export const E = { ${body} } as const; export type E = (typeof E)[keyof typeof E];`),
    ).toEqual([]);
  });
});

describe('stringLiteral', () => {
  const evaluate = (lit: string): unknown => new Function(`return ${lit}`)();

  it.each(NASTY.map((s) => [JSON.stringify(s), s] as const))('%s round-trips', (_, value) => {
    const lit = gen.stringLiteral(value);
    expect(lit).toMatch(/^'.*'$/s);
    expect(lit).not.toMatch(/[\n\r\u2028\u2029\0]/);
    expect(evaluate(lit)).toBe(value);
    expect(gen.rawEnumWireValue(value)).toBe(lit);
  });

  it.each<{ given: string; want: string }>([
    { given: "it's", want: "'it\\'s'" },
    { given: 'a\\b', want: "'a\\\\b'" },
    { given: '\0' + '1', want: "'\\u00001'" },
    { given: '\u2028', want: "'\\u2028'" },
    { given: '\u{E0001}', want: "'\\u{E0001}'" },
    { given: '😀', want: "'😀'" },
  ])('$given -> $want', ({ given, want }) => {
    expect(gen.stringLiteral(given)).toBe(want);
  });

  it('round-trips any string, lone surrogates included', () => {
    const unit = fc.oneof(
      fc.constantFrom('\\', "'", '"', '$', '{', '\n', '\r', '\u2028', '\0', '`'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (s) => {
        expect(evaluate(gen.stringLiteral(s))).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('docComment', () => {
  it.each<{ given: string; indent: string; want: string }>([
    { given: '', indent: '', want: '' },
    { given: ' \n\t\n ', indent: '', want: '' },
    { given: 'Hello', indent: '  ', want: '  /** Hello */\n' },
    { given: 'ends */ here', indent: '', want: '/** ends *\\/ here */\n' },
    { given: 'a\r\n\nb  ', indent: ' ', want: ' /**\n  * a\n  *\n  * b\n  */\n' },
  ])('$given', ({ given, indent, want }) => {
    expect(gen.docComment(given, indent)).toBe(want);
  });

  it.each(NASTY.map((s) => [JSON.stringify(s), `x${s}y*/z/*`] as const))(
    '%s cannot close the comment early',
    (_, text) => {
      const doc = gen.docComment(text, '  ');
      expect(doc.indexOf('*/', 3)).toBe(doc.length - 3);
    },
  );

  it('doc comments for every nasty text compile in front of declarations', () => {
    const src = NASTY.map((s, i) => `${gen.docComment(`x${s}y*/z/*`)}export const d${i} = ${i};`);
    expect(compile(src.join('\n'))).toEqual([]);
  });
});
