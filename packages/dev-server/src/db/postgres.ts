/**
 * A real Postgres (`--database-url`) behind the {@link Database} interface, via the `pg` package.
 *
 * A pool serves queries and transactions; one dedicated connection holds LISTEN so that changes
 * committed by anyone (psql, another process) wake the shape feed's long-polls.
 */
import pg from 'pg';
import {
  SESSION_SETTINGS,
  type Database,
  type Isolation,
  type Queryable,
  type SqlParam,
} from './database.js';

function wrap(q: pg.Pool | pg.PoolClient | pg.Client): Queryable {
  return {
    async query<R extends object>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
      const result = await q.query(sql, [...params]);
      return result.rows as R[];
    },
  };
}

export async function openPostgres(connectionString: string): Promise<Database> {
  // synchronous_commit=off: a dev server trades the last few milliseconds of durability on a
  // crash for not waiting on an fsync per write (writes are serialised by the change-log lock).
  const options = `-c TimeZone=${SESSION_SETTINGS.TimeZone} -c DateStyle=ISO,MDY -c synchronous_commit=off`;
  const pool = new pg.Pool({ connectionString, max: 20, options });
  // Fail fast with the driver's message (bad URL, refused connection) instead of on first request.
  const probe = await pool.connect();
  probe.release();
  let listener: pg.Client | null = null;
  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    async transaction<T>(
      fn: (tx: Queryable) => Promise<T>,
      isolation: Isolation = 'read committed',
    ): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(script: string): Promise<void> {
      await pool.query(script);
    },
    async listen(channel: string, onPayload: (payload: string) => void): Promise<void> {
      if (listener === null) {
        listener = new pg.Client({ connectionString, options });
        await listener.connect();
        listener.on('error', () => undefined);
      }
      listener.on('notification', (n) => {
        if (n.channel === channel) onPayload(n.payload ?? '');
      });
      await listener.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    },
    async close(): Promise<void> {
      if (listener !== null) await listener.end().catch(() => undefined);
      listener = null;
      await pool.end();
    },
  };
}
