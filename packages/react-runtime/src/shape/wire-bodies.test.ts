/**
 * `WireBodies` (shape/consumer.ts): the change messages of a shape response bypass the Electric
 * client's reviver and come back in place of their markers, in order, with the control messages
 * where the client delivered them.
 */
import { describe, expect, it } from 'vitest';
import { WIRE_MARKER, WireBodies } from './consumer.js';

const insert = (id: string) => ({
  headers: { operation: 'insert' },
  key: `"public"."t"/"${id}"`,
  value: { id, n: '1', tags: '["a"]' },
});
const control = (c: string) => ({ headers: { control: c } });

describe('WireBodies', () => {
  it('replaces each run of changes by one marker and puts the runs back in order', () => {
    const w = new WireBodies();
    const body = [
      insert('a'),
      insert('b'),
      control('snapshot-end'),
      insert('c'),
      control('up-to-date'),
    ];
    const sub = JSON.parse(w.substitute(JSON.stringify(body))!) as {
      headers: Record<string, unknown>;
    }[];
    expect(sub.map((m) => m.headers.control)).toEqual([
      WIRE_MARKER,
      'snapshot-end',
      WIRE_MARKER,
      'up-to-date',
    ]);
    expect(w.expand(sub as never)).toEqual(body);
    expect(w.held).toBe(0);
    // a control the client dropped (a suppressed up-to-date) stays dropped
    const again = JSON.parse(w.substitute(JSON.stringify(body))!) as never[];
    expect(w.expand(again.slice(0, 3))).toEqual(body.slice(0, 4));
  });

  it('forgets the runs of responses the stream dropped, and refuses a marker it no longer holds', () => {
    const w = new WireBodies();
    const dropped = JSON.parse(w.substitute(JSON.stringify([insert('x')]))!) as never[];
    const kept = JSON.parse(w.substitute(JSON.stringify([insert('y')]))!) as never[];
    expect(w.held).toBe(2);
    expect(w.expand(kept)).toEqual([insert('y')]);
    expect(w.held).toBe(0);
    expect(() => w.expand(dropped)).toThrow(/gone/);
  });

  it('leaves bodies that are not message arrays to the client', async () => {
    const w = new WireBodies();
    expect(w.substitute('{"error":"proxy"}')).toBeNull();
    expect(w.substitute('<html>')).toBeNull();
    expect(w.substitute('')).toBe('[]');
    const answer = (body: string, status: number, headers: Record<string, string>) =>
      w.wrap(() => Promise.resolve(new Response(body, { status, headers })))('http://x/v1/shape');
    const shape = { 'electric-offset': '0_0', 'electric-handle': 'h' };
    const r = await answer(JSON.stringify([insert('a'), control('up-to-date')]), 200, shape);
    expect(r.headers.get('electric-handle')).toBe('h');
    expect((await r.json()) as unknown[]).toHaveLength(2);
    expect(
      await (await answer('[{"headers":{"control":"must-refetch"}}]', 409, shape)).text(),
    ).toBe('[{"headers":{"control":"must-refetch"}}]');
    expect(await (await answer('[1]', 200, {})).text()).toBe('[1]'); // not a shape answer
  });
});
