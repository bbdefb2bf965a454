// A copy of the Swift generator's output for fixtures/todo (generators/swift/__goldens__/todo/
// Live/TodoSQL.swift and TodoSyncTable.swift), so the engine tests run the real generated SQL.
// packages/swift-runtime/src/todo-fixture.test.ts fails when it no longer matches the generator:
// copy the two files again (without their `public` access) when it does.

import Foundation
import SyncPatternsRuntime

/// SQL of the local schema of `todos` (SQLite; docs/sync-runtime-contract.md §1–§3).
///
/// Every statement is a constant so that tests can run it in SQLite without a Swift compiler.
enum TodoSQL {
  static let createSynced = """
    CREATE TABLE IF NOT EXISTS "todos_synced" (
      "id" TEXT NOT NULL PRIMARY KEY,
      "title" TEXT,
      "completed" INTEGER,
      "list_id" TEXT
    )
    """

  static let createLocal = """
    CREATE TABLE IF NOT EXISTS "todos_local" (
      "id" TEXT NOT NULL PRIMARY KEY,
      "title" TEXT,
      "completed" INTEGER,
      "list_id" TEXT,
      "_changed" TEXT NOT NULL DEFAULT '[]',
      "_deleted" INTEGER NOT NULL DEFAULT 0,
      "_write_id" TEXT
    )
    """

  static let createView = """
    CREATE VIEW "todos" AS
    SELECT
      s."id" AS "id",
      CASE WHEN l."id" IS NOT NULL AND instr(',' || substr(l."_changed", 2, length(l."_changed") - 2) || ',', ',"title",') > 0 THEN l."title" ELSE s."title" END AS "title",
      CASE WHEN l."id" IS NOT NULL AND instr(',' || substr(l."_changed", 2, length(l."_changed") - 2) || ',', ',"completed",') > 0 THEN l."completed" ELSE s."completed" END AS "completed",
      CASE WHEN l."id" IS NOT NULL AND instr(',' || substr(l."_changed", 2, length(l."_changed") - 2) || ',', ',"list_id",') > 0 THEN l."list_id" ELSE s."list_id" END AS "list_id",
      (l."_write_id" IS NOT NULL) AS "_pending"
    FROM "todos_synced" AS s LEFT JOIN "todos_local" AS l ON l."id" = s."id"
    WHERE l."id" IS NULL OR l."_deleted" = 0
    UNION ALL
    SELECT
      l."id" AS "id",
      l."title" AS "title",
      l."completed" AS "completed",
      l."list_id" AS "list_id",
      (l."_write_id" IS NOT NULL) AS "_pending"
    FROM "todos_local" AS l
    WHERE l."_deleted" = 0
      AND NOT EXISTS (SELECT 1 FROM "todos_synced" AS s WHERE s."id" = l."id")
      AND EXISTS (SELECT 1 FROM "_sync_outbox" AS o WHERE o."table_name" = 'todos' AND o."pk" = CAST(l."id" AS TEXT) AND o."op" = 'insert' AND o."status" <> 'failed')
    """

  static let insertTrigger = """
    CREATE TRIGGER "todos_insert" INSTEAD OF INSERT ON "todos"
    BEGIN
      INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "status", "attempts", "next_attempt_at", "confirmed", "created_at")
      VALUES (
        lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
        'todos',
        'insert',
        CAST(NEW."id" AS TEXT),
        (SELECT json_group_object("k", json("v")) FROM (
          SELECT 'id' AS "k", json_quote(NEW."id") AS "v"
          UNION ALL SELECT 'title', json_quote(NEW."title") WHERE NEW."title" IS NOT NULL
          UNION ALL SELECT 'completed', CASE WHEN NEW."completed" IS NULL THEN 'null' WHEN NEW."completed" THEN 'true' ELSE 'false' END WHERE NEW."completed" IS NOT NULL
          UNION ALL SELECT 'list_id', json_quote(NEW."list_id") WHERE NEW."list_id" IS NOT NULL
        )),
        'pending',
        0,
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
        0,
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
      );
      INSERT INTO "todos_local" ("id", "title", "completed", "list_id", "_changed", "_deleted", "_write_id")
      VALUES (
        NEW."id",
        NEW."title",
        NEW."completed",
        NEW."list_id",
        (SELECT json_group_array("k") FROM (
          SELECT 'title' AS "k" WHERE NEW."title" IS NOT NULL
          UNION ALL SELECT 'completed' AS "k" WHERE NEW."completed" IS NOT NULL
          UNION ALL SELECT 'list_id' AS "k" WHERE NEW."list_id" IS NOT NULL
        )),
        0,
        (SELECT "write_id" FROM "_sync_outbox" WHERE "seq" = (SELECT max("seq") FROM "_sync_outbox"))
      )
      ON CONFLICT ("id") DO UPDATE SET
        "title" = excluded."title",
        "completed" = excluded."completed",
        "list_id" = excluded."list_id",
        "_changed" = excluded."_changed",
        "_deleted" = excluded."_deleted",
        "_write_id" = excluded."_write_id";
    END
    """

  static let updateTrigger = """
    CREATE TRIGGER "todos_update" INSTEAD OF UPDATE ON "todos"
    BEGIN
      INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "status", "attempts", "next_attempt_at", "confirmed", "created_at")
      SELECT
        lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
        'todos',
        'update',
        CAST(OLD."id" AS TEXT),
        (SELECT json_group_object("k", json("v")) FROM (
          SELECT 'id' AS "k", json_quote(OLD."id") AS "v"
          UNION ALL SELECT 'title', json_quote(NEW."title") WHERE NEW."title" IS NOT OLD."title"
          UNION ALL SELECT 'completed', CASE WHEN NEW."completed" IS NULL THEN 'null' WHEN NEW."completed" THEN 'true' ELSE 'false' END WHERE NEW."completed" IS NOT OLD."completed"
          UNION ALL SELECT 'list_id', json_quote(NEW."list_id") WHERE NEW."list_id" IS NOT OLD."list_id"
        )),
        'pending',
        0,
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
        0,
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
      WHERE NEW."title" IS NOT OLD."title"
        OR NEW."completed" IS NOT OLD."completed"
        OR NEW."list_id" IS NOT OLD."list_id";
      INSERT INTO "todos_local" ("id") VALUES (OLD."id") ON CONFLICT ("id") DO NOTHING;
      UPDATE "todos_local" SET
        "title" = CASE WHEN NEW."title" IS NOT OLD."title" THEN NEW."title" ELSE "title" END,
        "completed" = CASE WHEN NEW."completed" IS NOT OLD."completed" THEN NEW."completed" ELSE "completed" END,
        "list_id" = CASE WHEN NEW."list_id" IS NOT OLD."list_id" THEN NEW."list_id" ELSE "list_id" END,
        "_changed" = (SELECT json_group_array("k") FROM (
          SELECT json_each.value AS "k" FROM json_each("todos_local"."_changed")
          UNION SELECT 'title' WHERE NEW."title" IS NOT OLD."title"
          UNION SELECT 'completed' WHERE NEW."completed" IS NOT OLD."completed"
          UNION SELECT 'list_id' WHERE NEW."list_id" IS NOT OLD."list_id"
        )),
        "_write_id" = CASE WHEN NEW."title" IS NOT OLD."title"
        OR NEW."completed" IS NOT OLD."completed"
        OR NEW."list_id" IS NOT OLD."list_id" THEN (SELECT "write_id" FROM "_sync_outbox" WHERE "seq" = (SELECT max("seq") FROM "_sync_outbox")) ELSE "_write_id" END
      WHERE "id" = OLD."id";
    END
    """

  static let deleteTrigger = """
    CREATE TRIGGER "todos_delete" INSTEAD OF DELETE ON "todos"
    BEGIN
      INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "status", "attempts", "next_attempt_at", "confirmed", "created_at")
      VALUES (
        lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
        'todos',
        'delete',
        CAST(OLD."id" AS TEXT),
        json_object('id', json(json_quote(OLD."id"))),
        'pending',
        0,
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
        0,
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
      );
      INSERT INTO "todos_local" ("id", "_deleted", "_write_id")
      VALUES (OLD."id", 1, (SELECT "write_id" FROM "_sync_outbox" WHERE "seq" = (SELECT max("seq") FROM "_sync_outbox")))
      ON CONFLICT ("id") DO UPDATE SET "_deleted" = 1, "_write_id" = excluded."_write_id";
    END
    """

  static let dropView = """
    DROP VIEW IF EXISTS "todos"
    """

  static let dropSynced = """
    DROP TABLE IF EXISTS "todos_synced"
    """

  static let selectAll = """
    SELECT "id", "title", "completed", "list_id", "_pending"
    FROM "todos"
    ORDER BY "id"
    """

  static let selectByKey = """
    SELECT "id", "title", "completed", "list_id", "_pending"
    FROM "todos"
    WHERE "id" = ?1
    """

  static let insert = """
    INSERT INTO "todos" ("id", "title", "completed", "list_id")
    VALUES (?1, ?2, ?3, ?4)
    """

  static let update = """
    UPDATE "todos" SET
      "title" = CASE WHEN ?2 THEN ?3 ELSE "title" END,
      "completed" = CASE WHEN ?4 THEN ?5 ELSE "completed" END,
      "list_id" = CASE WHEN ?6 THEN ?7 ELSE "list_id" END
    WHERE "id" = ?1
    """

  static let `delete` = """
    DELETE FROM "todos" WHERE "id" = ?1
    """

  static let upsertSynced = """
    INSERT INTO "todos_synced" ("id", "title", "completed", "list_id")
    VALUES (?1, ?3, ?5, ?7)
    ON CONFLICT ("id") DO UPDATE SET
      "title" = CASE WHEN ?2 THEN excluded."title" ELSE "todos_synced"."title" END,
      "completed" = CASE WHEN ?4 THEN excluded."completed" ELSE "todos_synced"."completed" END,
      "list_id" = CASE WHEN ?6 THEN excluded."list_id" ELSE "todos_synced"."list_id" END
    """

  static let deleteSynced = """
    DELETE FROM "todos_synced" WHERE "id" = ?1
    """

  static let clearSynced = """
    DELETE FROM "todos_synced"
    """

  static let reconcile = """
    UPDATE "todos_local" SET
      "_changed" = '[]',
      "title" = NULL,
      "completed" = NULL,
      "list_id" = NULL,
      "_write_id" = NULL
    WHERE CAST("id" AS TEXT) = ?1 AND "_write_id" = ?2 AND "_deleted" = 0
    """

  static let reconcileDeleted = """
    DELETE FROM "todos_local"
    WHERE CAST("id" AS TEXT) = ?1 AND "_write_id" = ?2 AND "_deleted" = 1
    """

  static let deleteEmptyLocal = """
    DELETE FROM "todos_local"
    WHERE CAST("id" AS TEXT) = ?1
      AND "_write_id" IS NULL
      AND "_deleted" = 0
      AND "_changed" = '[]'
    """

  static let restoreLocal = """
    UPDATE "todos_local" SET
      "title" = (SELECT j.value FROM "_sync_outbox" AS o, json_each(o."payload") AS j
        WHERE o."table_name" = 'todos' AND o."pk" = ?1 AND o."status" IN ('pending', 'inflight', 'sent') AND j.key = 'title'
        ORDER BY o."seq" DESC LIMIT 1),
      "completed" = (SELECT j.value FROM "_sync_outbox" AS o, json_each(o."payload") AS j
        WHERE o."table_name" = 'todos' AND o."pk" = ?1 AND o."status" IN ('pending', 'inflight', 'sent') AND j.key = 'completed'
        ORDER BY o."seq" DESC LIMIT 1),
      "list_id" = (SELECT j.value FROM "_sync_outbox" AS o, json_each(o."payload") AS j
        WHERE o."table_name" = 'todos' AND o."pk" = ?1 AND o."status" IN ('pending', 'inflight', 'sent') AND j.key = 'list_id'
        ORDER BY o."seq" DESC LIMIT 1),
      "_changed" = (SELECT json_group_array(DISTINCT j.key) FROM "_sync_outbox" AS o, json_each(o."payload") AS j
        WHERE o."table_name" = 'todos' AND o."pk" = ?1 AND o."status" IN ('pending', 'inflight', 'sent') AND j.key <> 'id'),
      "_deleted" = EXISTS (SELECT 1 FROM "_sync_outbox" AS o WHERE o."table_name" = 'todos' AND o."pk" = ?1 AND o."status" IN ('pending', 'inflight', 'sent') AND o."op" = 'delete'),
      "_write_id" = (SELECT o."write_id" FROM "_sync_outbox" AS o
        WHERE o."table_name" = 'todos' AND o."pk" = ?1 AND o."status" IN ('pending', 'inflight', 'sent') ORDER BY o."seq" DESC LIMIT 1)
    WHERE CAST("id" AS TEXT) = ?1 AND "_write_id" = ?2
    """

  /// All statements, for the runtime.
  static let statements = SyncTableSQL(
    createSynced: createSynced,
    createLocal: createLocal,
    createView: createView,
    insertTrigger: insertTrigger,
    updateTrigger: updateTrigger,
    deleteTrigger: deleteTrigger,
    dropView: dropView,
    dropSynced: dropSynced,
    selectAll: selectAll,
    selectByKey: selectByKey,
    insert: insert,
    update: update,
    delete: `delete`,
    upsertSynced: upsertSynced,
    deleteSynced: deleteSynced,
    clearSynced: clearSynced,
    reconcile: reconcile,
    reconcileDeleted: reconcileDeleted,
    deleteEmptyLocal: deleteEmptyLocal,
    restoreLocal: restoreLocal
  )
}

/// How the sync runtime handles `todos`: columns, API routes and SQL.
enum TodoSyncTable {
  static let table = SyncTable(
    name: "todos",
    primaryKey: "id",
    columns: [
      SyncColumn("id", .uuid, nullable: false, synced: true),
      SyncColumn("title", .text, nullable: false, synced: true),
      SyncColumn("completed", .boolean, nullable: false, synced: true),
      SyncColumn("list_id", .uuid, nullable: false, synced: true),
    ],
    confirmed: false,
    schemaHash: "ea4345c03cb588143a5171eb9862bdc497a20ac7f837270a40a5472198c94ce2",
    create: SyncRoute(method: .post, path: "/todos", parameters: []),
    update: SyncRoute(
      method: .patch,
      path: "/todos/{todo_id}",
      parameters: [.init("todo_id", .primaryKey)]
    ),
    delete: SyncRoute(
      method: .delete,
      path: "/todos/{todo_id}",
      parameters: [.init("todo_id", .primaryKey)]
    ),
    sql: TodoSQL.statements
  )
}
