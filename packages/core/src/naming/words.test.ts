import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  camelCase,
  kebabCase,
  pascalCase,
  screamingSnakeCase,
  snakeCase,
  splitWords,
} from './words.js';

describe('splitWords', () => {
  it.each<{ given: string; want: string[] }>([
    { given: 'camelCase', want: ['camel', 'case'] },
    { given: 'PascalCase', want: ['pascal', 'case'] },
    { given: 'snake_case_name', want: ['snake', 'case', 'name'] },
    { given: 'SCREAMING_SNAKE', want: ['screaming', 'snake'] },
    { given: 'kebab-case-name', want: ['kebab', 'case', 'name'] },
    { given: 'with space', want: ['with', 'space'] },
    { given: '  padded   out  ', want: ['padded', 'out'] },
    { given: 'first.name', want: ['first', 'name'] },
    { given: 'HTTPServer', want: ['http', 'server'] },
    { given: 'MyHTTPServer', want: ['my', 'http', 'server'] },
    { given: 'userID', want: ['user', 'id'] },
    { given: 'userIDs', want: ['user', 'ids'] },
    { given: 'getURLsFast', want: ['get', 'urls', 'fast'] },
    { given: 'APIv2', want: ['api', 'v2'] },
    { given: 'IPv4Address', want: ['ip', 'v4', 'address'] },
    { given: 'v1', want: ['v1'] },
    { given: 'v1Users', want: ['v1', 'users'] },
    { given: '2fa', want: ['2fa'] },
    { given: '2FA', want: ['2fa'] },
    { given: 'enable2fa', want: ['enable2', 'fa'] },
    { given: 'enable2FA', want: ['enable2', 'fa'] },
    { given: 'utf8', want: ['utf8'] },
    { given: 'sha256Hash', want: ['sha256', 'hash'] },
    { given: 'ISO8601Date', want: ['iso8601', 'date'] },
    { given: 'HTTP2Server', want: ['http2', 'server'] },
    { given: '100Users', want: ['100', 'users'] },
    { given: 'v1.2', want: ['v1', '2'] },
    { given: 'ÜBER', want: ['uber'] },
    { given: 'naïve café', want: ['naive', 'cafe'] },
    { given: 'Größe', want: ['grosse'] },
    { given: 'Ærøskøbing', want: ['aeroskobing'] },
    { given: 'ÆON_FLUX', want: ['aeon', 'flux'] },
    { given: 'straßeName', want: ['strasse', 'name'] },
    { given: 'ﬁle', want: ['file'] },
    { given: 'user名前id', want: ['user', 'id'] },
    { given: '日本語', want: [] },
    { given: "it's", want: ['its'] },
    { given: 'don’t stop', want: ['dont', 'stop'] },
    { given: 'it\'s "quoted"', want: ['its', 'quoted'] },
    { given: '$ref', want: ['ref'] },
    { given: '@type', want: ['type'] },
    { given: '__proto__', want: ['proto'] },
    { given: 'a/b\\c:d;e', want: ['a', 'b', 'c', 'd', 'e'] },
    { given: '', want: [] },
    { given: '---', want: [] },
    { given: '😀 emoji', want: ['emoji'] },
  ])('splitWords($given) = $want', ({ given, want }) => {
    expect(splitWords(given)).toEqual(want);
  });

  it('always yields lowercase ASCII words, and snake_case is a fixed point', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const words = splitWords(s);
        for (const w of words) expect(w).toMatch(/^[a-z0-9]+$/);
        expect(snakeCase(snakeCase(s))).toBe(snakeCase(s));
      }),
      { numRuns: 500 },
    );
  });
});

describe('case joiners', () => {
  it.each<{
    given: string;
    pascal: string;
    camel: string;
    snake: string;
    screaming: string;
    kebab: string;
  }>([
    {
      given: 'user_id',
      pascal: 'UserId',
      camel: 'userId',
      snake: 'user_id',
      screaming: 'USER_ID',
      kebab: 'user-id',
    },
    {
      given: 'HTTPServer',
      pascal: 'HttpServer',
      camel: 'httpServer',
      snake: 'http_server',
      screaming: 'HTTP_SERVER',
      kebab: 'http-server',
    },
    {
      given: 'in-progress',
      pascal: 'InProgress',
      camel: 'inProgress',
      snake: 'in_progress',
      screaming: 'IN_PROGRESS',
      kebab: 'in-progress',
    },
    {
      given: '2fa code',
      pascal: '2faCode',
      camel: '2faCode',
      snake: '2fa_code',
      screaming: '2FA_CODE',
      kebab: '2fa-code',
    },
    {
      given: 'v1 users',
      pascal: 'V1Users',
      camel: 'v1Users',
      snake: 'v1_users',
      screaming: 'V1_USERS',
      kebab: 'v1-users',
    },
    { given: '', pascal: '', camel: '', snake: '', screaming: '', kebab: '' },
  ])('$given', ({ given, pascal, camel, snake, screaming, kebab }) => {
    expect(pascalCase(given)).toBe(pascal);
    expect(camelCase(given)).toBe(camel);
    expect(snakeCase(given)).toBe(snake);
    expect(screamingSnakeCase(given)).toBe(screaming);
    expect(kebabCase(given)).toBe(kebab);
  });

  it('accepts pre-split words', () => {
    expect(pascalCase(['line', 'item'])).toBe('LineItem');
    expect(camelCase(['line', 'item'])).toBe('lineItem');
  });
});
