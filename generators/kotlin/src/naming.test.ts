/** Given/want tables for the Kotlin scoping rules on top of core naming. */
import { describe, expect, it } from 'vitest';
import type { SyncIR } from '@sync/core';
import { bannerComment, buildNames, enumEntryNames, memberNames, packagesOf } from './naming.js';

const ir = (schemas: string[]): SyncIR =>
  ({ irVersion: 2, source: { file: 'x', openapi: '3.1.0' }, info: { title: 't', version: '1' }, servers: [], securitySchemes: [], schemas: schemas.map((name) => ({ kind: 'alias', name, componentName: name, deprecated: false, source: { file: 'x', pointer: '' }, type: { kind: 'unknown' } })), entities: [], operations: [] }) as SyncIR;

describe('naming', () => {
  it.each([
    [['first-name', 'first_name', 'firstName'], [], ['firstName', 'firstName2', 'firstName3']],
    [['core', 'when', 'class'], ['core'], ['core2', '`when`', '`class`']],
    [['2fa_enabled', '@id', 'id'], [], ['_2faEnabled', 'id', 'id2']],
  ])('memberNames(%j, reserved %j) = %j', (raws, reserved, want) => {
    expect(memberNames(raws, reserved)).toEqual(want);
  });

  it('renames schema types that would shadow imported or generated names, case-insensitively', () => {
    const names = buildNames(ir(['Param', 'ApiClient', 'String', 'type', 'Type2', 'Flow']), 'com.example');
    expect([...names.types.values()]).toEqual(['Param2', 'ApiClient2', 'StringModel', 'Type', 'Type2', 'Flow2']);
  });

  it('escapes keyword package segments', () => {
    expect(packagesOf('com.example.in').model).toBe('com.example.`in`.model');
  });

  it('keeps UNKNOWN for the fallback entry and de-duplicates colliding enum values', () => {
    expect(enumEntryNames(['unknown', 'in-progress', 'in_progress', '2fa'])).toEqual({ unknown: 'UNKNOWN', entries: ['UNKNOWN2', 'IN_PROGRESS', 'IN_PROGRESS2', '_2FA'] });
  });

  it('bannerComment: every line a comment, a line break in spec text included', () => {
    expect(bannerComment(['Generated', 'Source: a.yaml (Evil\nclass X {} 1)'], '//')).toEqual(['// Generated', '// Source: a.yaml (Evil', '// class X {} 1)']);
    expect(bannerComment(['a\r\nb', ''], '#')).toEqual(['# a', '# b', '#']);
  });
});
