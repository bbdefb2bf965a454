/**
 * The runtime's own tables (contract §1 and §3), the same for every spec: the outbox, the shapes'
 * handle/offset, schema hashes (§6) and the txids seen on the shapes. Only this runtime reads and
 * writes them, so their DDL lives beside the queries that use them; generated code carries the
 * per-entity tables only. Idempotent (`IF NOT EXISTS`): applied by `migrate` on every start.
 *
 * `_sync_outbox_pending` lets the drain pick its next rows by index (sent rows waiting for the
 * shape stay in the outbox). `_sync_outbox_counts` is the pending (not failed) and failed count
 * per table, kept by triggers in the same transactions as the rows, so the status never recounts
 * the outbox; `failed_changes` grows whenever a row becomes or stops being failed, so the list
 * of refused writes is re-read only then. `migrate` fills it once for an outbox made before it.
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
CREATE INDEX IF NOT EXISTS "_sync_outbox_pending" ON "_sync_outbox" ("seq") WHERE "status" = 'pending';
CREATE TABLE IF NOT EXISTS "_sync_outbox_counts" (
  "table_name" text PRIMARY KEY,
  "pending" integer NOT NULL DEFAULT 0,
  "failed" integer NOT NULL DEFAULT 0,
  "failed_changes" bigint NOT NULL DEFAULT 0
);
CREATE OR REPLACE FUNCTION "_sync_outbox_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE "_sync_outbox_counts" SET
      "pending" = "pending" - (OLD."status" <> 'failed')::int,
      "failed" = "failed" - (OLD."status" = 'failed')::int,
      "failed_changes" = "failed_changes" + (OLD."status" = 'failed')::int
    WHERE "table_name" = OLD."table_name";
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "_sync_outbox_counts" AS c ("table_name", "pending", "failed", "failed_changes")
    VALUES (NEW."table_name", (NEW."status" <> 'failed')::int, (NEW."status" = 'failed')::int,
      (NEW."status" = 'failed')::int)
    ON CONFLICT ("table_name") DO UPDATE SET "pending" = c."pending" + EXCLUDED."pending",
      "failed" = c."failed" + EXCLUDED."failed",
      "failed_changes" = c."failed_changes" + EXCLUDED."failed_changes";
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER "_sync_outbox_count_rows" AFTER INSERT OR DELETE ON "_sync_outbox"
  FOR EACH ROW EXECUTE FUNCTION "_sync_outbox_count"();
CREATE OR REPLACE TRIGGER "_sync_outbox_count_status" AFTER UPDATE ON "_sync_outbox" FOR EACH ROW
  WHEN ((OLD."status" = 'failed') IS DISTINCT FROM (NEW."status" = 'failed')
    OR OLD."table_name" IS DISTINCT FROM NEW."table_name")
  EXECUTE FUNCTION "_sync_outbox_count"();
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
