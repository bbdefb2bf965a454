/**
 * Shape handles. A handle names one shape log: it is derived from the database instance (a uuid
 * minted when the database was created), the table's column fingerprint, the shape definition
 * (where, params, columns, replica) and the table's *epoch*. Same inputs, same handle, so a client
 * that stored a handle resumes across dev-server restarts on the same data dir.
 *
 * Rotating (`rotateShapes`, `POST /__dev/rotate-shapes`) bumps the epoch: every handle of that
 * table changes, and clients holding an old one get 409 + must-refetch. A wiped data dir mints a
 * new instance id, with the same effect.
 */
import type { Database } from '../db/database.js';
import { digest } from '../schema/sql.js';

export class ShapeHandles {
  private constructor(
    private readonly db: Database,
    private readonly instance: string,
    private readonly epochs: Map<string, number>,
  ) {}

  static async load(db: Database): Promise<ShapeHandles> {
    const rows = await db.query<{ key: string; value: string }>(
      `SELECT "key", "value" FROM "_sync_meta"`,
    );
    const instance = rows.find((r) => r.key === 'instance')?.value ?? 'unknown';
    const epochs = new Map<string, number>();
    for (const r of rows)
      if (r.key.startsWith('epoch:')) epochs.set(r.key.slice('epoch:'.length), Number(r.value));
    return new ShapeHandles(db, instance, epochs);
  }

  handleFor(table: string, fingerprint: string, definition: string): string {
    const epoch = this.epochs.get(table) ?? 0;
    return `${digest(this.instance, table, fingerprint, definition)}-${epoch}`;
  }

  /** Bumps the epoch of `tables` (persisted first, so a crash cannot bring old handles back). */
  async rotate(tables: readonly string[]): Promise<void> {
    for (const table of tables) {
      const next = (this.epochs.get(table) ?? 0) + 1;
      await this.db.query(
        `INSERT INTO "_sync_meta" ("key", "value") VALUES ($1, $2) ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`,
        [`epoch:${table}`, String(next)],
      );
      this.epochs.set(table, next);
    }
  }
}
