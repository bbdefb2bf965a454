/**
 * The pieces of one-database-per-origin that run in Node: what tabs tell each other over a
 * BroadcastChannel (client/tabs.ts, Node has BroadcastChannel too), the change feed's relay, and
 * the IndexedDB flush that no longer lets an ErrnoError escape (db/flush.ts). The two-tab
 * behaviour itself is proven in Chromium (tools/e2e/tabs.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeFeed, type ChangedKeys } from './client/changes.js';
import { TabBus, type TabMessage } from './client/tabs.js';
import { SyncApiError } from './outbox/send.js';

const buses: TabBus[] = [];
afterEach(() => {
  for (const b of buses.splice(0)) b.close();
});

function bus(name: string, onMessage: (m: TabMessage) => void = () => undefined): TabBus {
  const b = new TabBus(name, onMessage);
  buses.push(b);
  return b;
}

function next(messages: TabMessage[], type: TabMessage['type']): Promise<TabMessage> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 2_000;
    const poll = () => {
      const m = messages.find((x) => x.type === type);
      if (m) resolve(m);
      else if (Date.now() > deadline) reject(new Error(`no ${type} message`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe('tabs sharing one database', () => {
  it('a refused confirmed write reaches the waiting tab as the same error (status, body)', async () => {
    const got: TabMessage[] = [];
    const leader = bus('t1');
    bus('t1', (m) => got.push(m));
    const error = new SyncApiError(422, { detail: [{ loc: ['email'] }] }, 'POST /contacts: 422');
    leader.settled('w1', { ok: false, error });
    const m = await next(got, 'settled');
    if (m.type !== 'settled') throw new Error('unreachable');
    const outcome = TabBus.outcomeOf(m);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(Error);
    expect(outcome.error).toMatchObject({
      name: 'ApiError',
      message: 'POST /contacts: 422',
      status: 422,
      body: { detail: [{ loc: ['email'] }] },
    });
  });

  it('a request the old leader never answered is asked again of the new one', async () => {
    const asked: string[] = [];
    const follower = bus('t2');
    const done = follower.request('drain').then(() => 'done');
    // the old leader received it and closed before answering; a new leader announces itself
    const newLeader = bus('t2', (m) => {
      if (m.type === 'request') {
        asked.push(m.id);
        newLeader.post({ type: 'done', id: m.id });
      }
    });
    newLeader.post({ type: 'leader' });
    await expect(done).resolves.toBe('done');
    expect(asked.length).toBeGreaterThanOrEqual(1);
  });

  it('changes committed here are relayed; changes from another tab are not sent back', () => {
    const feed = new ChangeFeed();
    const local: ChangedKeys[] = [];
    const relayed: ChangedKeys[] = [];
    feed.on('contacts', (k) => local.push(k));
    feed.relayTo((_t, k) => relayed.push(k));
    feed.emit('contacts', ['1']);
    feed.receive('contacts', ['2']);
    feed.emit('contacts', []);
    expect(local).toEqual([['1'], ['2']]);
    expect(relayed).toEqual([['1']]);
  });
});
