import Foundation

/// SQL of the tables every live entity shares (docs/sync-runtime-contract.md §1–§3): the
/// outbox, the shape offsets, the schema hashes and the seen txids. Parameters are numbered
/// (`?1`, …).
///
/// The generator's SQL test (generators/swift/src/live/sql.test.ts) extracts these constants and
/// runs them in SQLite together with the generated per-entity statements.
public enum SyncSharedSQL {
  public static let createOutbox = """
    CREATE TABLE IF NOT EXISTS "_sync_outbox" (
      "seq" INTEGER PRIMARY KEY AUTOINCREMENT,
      "write_id" TEXT NOT NULL UNIQUE,
      "table_name" TEXT NOT NULL,
      "op" TEXT NOT NULL CHECK ("op" IN ('insert', 'update', 'delete')),
      "pk" TEXT NOT NULL,
      "payload" TEXT NOT NULL,
      "status" TEXT NOT NULL DEFAULT 'pending'
        CHECK ("status" IN ('pending', 'inflight', 'sent', 'failed')),
      "attempts" INTEGER NOT NULL DEFAULT 0,
      "next_attempt_at" INTEGER NOT NULL DEFAULT 0,
      "txid" TEXT,
      "error" TEXT,
      "confirmed" INTEGER NOT NULL DEFAULT 0,
      "created_at" INTEGER NOT NULL
    )
    """

  public static let createOutboxIndex = """
    CREATE INDEX IF NOT EXISTS "_sync_outbox_by_table"
    ON "_sync_outbox" ("table_name", "status", "seq")
    """

  public static let createShapes = """
    CREATE TABLE IF NOT EXISTS "_sync_shapes" (
      "shape_key" TEXT NOT NULL PRIMARY KEY,
      "handle" TEXT,
      "offset" TEXT,
      "schema_hash" TEXT,
      "updated_at" INTEGER
    )
    """

  public static let createMeta = """
    CREATE TABLE IF NOT EXISTS "_sync_meta" (
      "key" TEXT NOT NULL PRIMARY KEY,
      "value" TEXT
    )
    """

  public static let createSeenTxids = """
    CREATE TABLE IF NOT EXISTS "_sync_seen_txids" (
      "txid" TEXT NOT NULL PRIMARY KEY,
      "seen_at" INTEGER NOT NULL
    )
    """

  /// The head of the outbox: the oldest unfinished row over every table (contract §2: one FIFO in
  /// global `seq` order, one request at a time). `?1` = the engine's table names as a JSON array;
  /// rows of a table the app no longer has can never be sent, so they are left out rather than
  /// holding the queue. `sent` rows (awaiting their txid) and `failed` rows have left the queue;
  /// an `inflight` head is a request a previous run did not see answered, sent again.
  public static let queueHead = """
    SELECT "seq", "write_id", "table_name", "op", "pk", "payload", "attempts", "next_attempt_at",
      "confirmed"
    FROM "_sync_outbox"
    WHERE "status" IN ('pending', 'inflight')
      AND "table_name" IN (SELECT "value" FROM json_each(?1))
    ORDER BY "seq"
    LIMIT 1
    """

  public static let markInflight = """
    UPDATE "_sync_outbox" SET "status" = 'inflight' WHERE "seq" = ?1
    """

  /// 2xx: `?1` = seq, `?2` = txid (NULL when the response carried none).
  public static let markSent = """
    UPDATE "_sync_outbox" SET "status" = 'sent', "txid" = ?2, "error" = NULL WHERE "seq" = ?1
    """

  /// 5xx / 429 / network: `?1` = seq, `?2` = next attempt (ms), `?3` = error text.
  public static let markRetry = """
    UPDATE "_sync_outbox"
    SET "status" = 'pending', "attempts" = "attempts" + 1, "next_attempt_at" = ?2, "error" = ?3
    WHERE "seq" = ?1
    """

  /// 4xx: `?1` = seq, `?2` = the error record `{status, message, body, failedAt}` (JSON).
  public static let markFailed = """
    UPDATE "_sync_outbox" SET "status" = 'failed', "error" = ?2 WHERE "seq" = ?1
    """

  /// 4xx: later unfinished rows of the same key build on the refused write and fail with it;
  /// `?1` = table, `?2` = key, `?3` = seq of the refused row, `?4` = error.
  public static let failLaterSameKey = """
    UPDATE "_sync_outbox" SET "status" = 'failed', "error" = ?4
    WHERE "table_name" = ?1 AND "pk" = ?2 AND "seq" > ?3 AND "status" IN ('pending', 'inflight')
    """

  public static let deleteRow = """
    DELETE FROM "_sync_outbox" WHERE "seq" = ?1
    """

  /// Reconnect: every pending row may be sent now (`?1` = now in ms).
  public static let resetBackoff = """
    UPDATE "_sync_outbox" SET "next_attempt_at" = ?1 WHERE "status" = 'pending'
    """

  public static let maxSeq = """
    SELECT coalesce(max("seq"), 0) FROM "_sync_outbox"
    """

  /// The write id of the row appended after seq `?1`, if the last write produced one.
  public static let writeIdAfter = """
    SELECT "write_id" FROM "_sync_outbox" WHERE "seq" > ?1 ORDER BY "seq" DESC LIMIT 1
    """

  public static let writeStatus = """
    SELECT "status", "error" FROM "_sync_outbox" WHERE "write_id" = ?1
    """

  public static let recordTxid = """
    INSERT OR IGNORE INTO "_sync_seen_txids" ("txid", "seen_at") VALUES (?1, ?2)
    """

  public static let txidSeen = """
    SELECT count(*) FROM "_sync_seen_txids" WHERE "txid" = ?1
    """

  public static let pruneTxids = """
    DELETE FROM "_sync_seen_txids"
    WHERE "txid" NOT IN (
      SELECT "txid" FROM "_sync_seen_txids" ORDER BY "seen_at" DESC, rowid DESC LIMIT 10000
    )
    """

  /// `sent` rows whose txid the shape has delivered, oldest first.
  public static let reconcilable = """
    SELECT o."seq", o."table_name", o."pk", o."write_id"
    FROM "_sync_outbox" AS o
    WHERE o."status" = 'sent' AND o."txid" IN (SELECT "txid" FROM "_sync_seen_txids")
    ORDER BY o."seq"
    """

  /// The errors API (contract §2): refused writes, oldest first.
  public static let failedRows = """
    SELECT "seq", "write_id", "table_name", "op", "pk", "payload", "error", "created_at"
    FROM "_sync_outbox"
    WHERE "status" = 'failed'
    ORDER BY "seq"
    """

  /// One outbox row by write id (any status).
  public static let rowByWriteId = """
    SELECT "seq", "write_id", "table_name", "op", "pk", "payload", "status", "attempts",
      "next_attempt_at", "confirmed"
    FROM "_sync_outbox"
    WHERE "write_id" = ?1
    """

  /// Discards a failed write (`?1` = write id); other statuses are left alone.
  public static let discardFailed = """
    DELETE FROM "_sync_outbox" WHERE "write_id" = ?1 AND "status" = 'failed'
    """

  /// Failed rows are kept 24 hours after `failedAt` (`?1` = the cutoff in ms). Rows from before
  /// the error record (plain-text `error`) age from `created_at`.
  public static let pruneFailed = """
    DELETE FROM "_sync_outbox"
    WHERE "status" = 'failed'
      AND coalesce(
        CASE WHEN json_valid("error") THEN json_extract("error", '$.failedAt') END,
        "created_at"
      ) < ?1
    """

  /// Whether any write waits to be sent (the reachability probe runs only then).
  public static let hasQueued = """
    SELECT EXISTS (SELECT 1 FROM "_sync_outbox" WHERE "status" IN ('pending', 'inflight'))
    """

  public static let deleteMeta = """
    DELETE FROM "_sync_meta" WHERE "key" = ?1
    """

  public static let clearFailed = """
    DELETE FROM "_sync_outbox" WHERE "status" = 'failed'
    """

  public static let shapeState = """
    SELECT "handle", "offset", "schema_hash" FROM "_sync_shapes" WHERE "shape_key" = ?1
    """

  /// `?1` = shape key, `?2` = handle, `?3` = offset, `?4` = schema hash, `?5` = now (ms).
  public static let saveShape = """
    INSERT INTO "_sync_shapes" ("shape_key", "handle", "offset", "schema_hash", "updated_at")
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT ("shape_key") DO UPDATE SET
      "handle" = excluded."handle",
      "offset" = excluded."offset",
      "schema_hash" = excluded."schema_hash",
      "updated_at" = excluded."updated_at"
    """

  public static let clearShape = """
    DELETE FROM "_sync_shapes" WHERE "shape_key" = ?1
    """

  public static let metaValue = """
    SELECT "value" FROM "_sync_meta" WHERE "key" = ?1
    """

  public static let setMeta = """
    INSERT INTO "_sync_meta" ("key", "value") VALUES (?1, ?2)
    ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"
    """

  /// DDL run once, before any entity's tables.
  public static let schema: [String] = [
    createOutbox, createOutboxIndex, createShapes, createMeta, createSeenTxids,
  ]
}
