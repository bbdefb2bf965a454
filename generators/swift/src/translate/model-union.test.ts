import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSpec } from '@sync/core';
import { describe, expect, it } from 'vitest';
import { generateSwift } from '../generate.js';
import { checkSwiftSyntax } from '../testing/swift-syntax.js';

/** Two variants answering to one discriminator value (OpenAI's `BetaItem`: `"message"` twice). */
const spec = {
  openapi: '3.1.0',
  info: { title: 'U', version: '1' },
  paths: {},
  components: {
    schemas: {
      InputMessage: {
        type: 'object',
        required: ['type', 'role'],
        properties: { type: { const: 'message' }, role: { type: 'string' } },
      },
      OutputMessage: {
        type: 'object',
        required: ['type', 'id', 'role', 'status'],
        properties: {
          type: { const: 'message' },
          id: { type: 'string' },
          role: { type: 'string', enum: ['assistant'] },
          status: { type: 'string' },
        },
      },
      ToolCall: {
        type: 'object',
        required: ['type'],
        properties: { type: { const: 'tool_call' } },
      },
      Item: {
        oneOf: [
          { $ref: '#/components/schemas/InputMessage' },
          { $ref: '#/components/schemas/OutputMessage' },
          { $ref: '#/components/schemas/ToolCall' },
        ],
        discriminator: { propertyName: 'type' },
      },
    },
  },
};

describe('discriminated unions whose variants share a tag', () => {
  it('try the sharing variants, most demanding first, instead of always decoding the first', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-union-'));
    writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(spec));
    const { ir } = await loadSpec(path.join(dir, 'openapi.json'), { cwd: dir });
    const file = generateSwift(ir!, {}).files.find((f) => f.path === 'Models/Item.swift')!;
    expect(file.contents).toContain(
      [
        '    case "message":',
        '      if let value = try? OutputMessage(from: decoder) {',
        '        self = .outputMessage(value)',
        '      } else if let value = try? InputMessage(from: decoder) {',
        '        self = .inputMessage(value)',
        '      } else {',
        '        self = .unknown(try JSONValue(from: decoder))',
        '      }',
        '    case "tool_call": self = .toolCall(try ToolCall(from: decoder))',
      ].join('\n'),
    );
    // Each tag is one `case` label: no pattern the compiler would call unreachable.
    expect(file.contents.match(/case "message"/g)).toHaveLength(1);
    expect(await checkSwiftSyntax(file.contents)).toEqual([]);
  });
});
