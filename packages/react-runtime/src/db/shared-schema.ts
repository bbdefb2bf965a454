/**
 * The runtime's own tables (contract §1 and §3), the same for every spec: the outbox, the shapes'
 * handle/offset, schema hashes (§6) and the txids seen on the shapes. Only this runtime reads and
 * writes them, so their DDL lives beside the queries that use them; generated code carries the
 * per-entity tables only. Idempotent (`IF NOT EXISTS`): applied by `migrate` on every start.
 */
export const SHARED_SCHEMA_SQL = `CREATE TABLE IF NOT EXISTS "_sync_outbox" (
  "seq" bigserial PRIMARY KEY,
  "write_id" text NOT NULL UNIQUE,
  "table_name" text NOT NULL,
  "op" text NOT NULL CHECK ("op" IN ('insert', 'update', 'delete')),
  "pk" text NOT NULL,
  "payload" text NOT NULL,
  "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'inflight', 'sent', 'failed')),
  "attempts" integer NOT NULL DEFAULT 0,
  "next_attempt_at" bigint NOT NULL,
  "txid" text,
  "error" text,
  "confirmed" boolean NOT NULL DEFAULT false,
  "created_at" bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS "_sync_outbox_table_seq" ON "_sync_outbox" ("table_name", "seq");
CREATE INDEX IF NOT EXISTS "_sync_outbox_key" ON "_sync_outbox" ("table_name", "pk");
CREATE TABLE IF NOT EXISTS "_sync_shapes" (
  "shape_key" text PRIMARY KEY,
  "handle" text,
  "offset" text,
  "schema_hash" text,
  "updated_at" bigint
);
CREATE TABLE IF NOT EXISTS "_sync_meta" ("key" text PRIMARY KEY, "value" text);
CREATE TABLE IF NOT EXISTS "_sync_seen_txids" ("seq" bigserial PRIMARY KEY, "txid" text NOT NULL UNIQUE);
`;
