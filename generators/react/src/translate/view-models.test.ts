/**
 * View models hold data, never code (issue #15): the live hooks and the live schema used to carry
 * TypeScript as strings (`write: '{ key: variables.id, values: variables.body }'`,
 * `create: "{ method: 'POST', path: …, params: […] }"`), so one output line was split between a
 * string builder and a template. Now every value in these views is a name, a type, a literal or a
 * property access; the templates print the code. Checked on every fixture whose entities are live.
 */
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../options.js';
import { fixtureIr } from '../testing/fixtures.js';
import { createContext } from './context.js';
import { translate } from './index.js';

/** `path = value` of every string in `value`, skipping the fields that hold types or comments. */
function strings(value: unknown, at: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([at, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${at}[${i}]`, out));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value))
      if (k !== 'banner' && k !== 'call' && !/Type$/.test(k)) strings(v, `${at}.${k}`, out);
  return out;
}

/** Code beyond a name, type, literal or property access: an arrow, a spread, an object literal. */
const CODE = /=>|\.\.\.|\{/;
/** A string literal (`'/contacts/{id}'`) is data, whatever it spells. */
const LITERAL = /^'(?:[^'\\]|\\.)*'$/;

describe('view models', () => {
  it.each(['crm', 'bad-names', 'todo', 'multi-file'])(
    '%s: the live parts of hooks and live/schema.ts views hold no code',
    async (fixture) => {
      const ir = await fixtureIr(fixture);
      const live = structuredClone(ir);
      for (const e of live.entities) e.sync.mode = 'live';
      const plans = translate(createContext(live, resolveOptions(live, {})));
      const views = plans.flatMap((p) =>
        p.template === 'hooks'
          ? (['list', 'item', 'create', 'update', 'replace', 'remove'] as const).map((k) => ({
              at: `${p.path} ${k}.live`,
              view: (p.view as Record<string, { live: unknown } | null>)[k]?.live ?? null,
            }))
          : p.template === 'live-schema'
            ? [{ at: p.path, view: p.view }]
            : [],
      );
      expect(views.some((v) => v.view !== null && v.at.includes('create'))).toBe(true);
      const code = views.flatMap((v) =>
        strings(v.view, v.at).filter(([, s]) => !LITERAL.test(s) && CODE.test(s)),
      );
      expect(code).toEqual([]);
    },
  );
});
