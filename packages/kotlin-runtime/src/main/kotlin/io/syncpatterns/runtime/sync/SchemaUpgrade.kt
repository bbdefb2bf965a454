package io.syncpatterns.runtime.sync

/** The SQL the upgrade needs: generated code adapts Room's SupportSQLiteDatabase, tests JDBC. */
interface SqlExecutor {
    fun exec(
        sql: String,
        args: List<Any?> = emptyList(),
    )

    /** Values of one column ([column]) of every row of [sql]. */
    fun queryColumn(
        sql: String,
        column: String,
    ): List<String?>
}

/**
 * Schema upgrades (sync-runtime-contract §6). Per live table whose `schema_hash` differs from
 * `_sync_meta`: drop and recreate `T_synced` and the view, forget the shape's handle/offset (full
 * resync), rebuild `T_local` keeping the columns that still exist, keep every outbox row. Every
 * other live table gets its view recreated (its definition may have changed on its own).
 */
object SchemaUpgrade {
    /** Standard SQL identifier quoting (`"` doubled), valid in SQLite. */
    fun quote(name: String): String = "\"" + name.replace("\"", "\"\"") + "\""

    private fun literal(value: String): String = "'" + value.replace("'", "''") + "'"

    /** Creates the shared tables if missing (Room creates them on a fresh install). */
    fun ensureShared(db: SqlExecutor) {
        db.exec("CREATE TABLE IF NOT EXISTS \"_sync_meta\" (\"key\" TEXT NOT NULL, \"value\" TEXT, PRIMARY KEY(\"key\"))")
    }

    /** Records each table's hash (fresh install: Room just created every table). */
    fun recordHashes(
        db: SqlExecutor,
        tables: List<LiveTable>,
    ) {
        ensureShared(db)
        tables.forEach { t ->
            db.exec("INSERT OR REPLACE INTO \"_sync_meta\" (\"key\", \"value\") VALUES (?, ?)", listOf(metaKey(t), t.schemaHash))
        }
    }

    /**
     * Upgrades every table whose hash changed; returns the tables that were rebuilt. The view of
     * every other table is recreated from its current definition (cheap, no data touched), so a
     * new visibility rule (contract §1) reaches existing installs without a resync.
     */
    fun upgrade(
        db: SqlExecutor,
        tables: List<LiveTable>,
    ): List<String> {
        ensureShared(db)
        val (changed, unchanged) = tables.partition { t -> storedHash(db, t) != t.schemaHash }
        unchanged.forEach { t ->
            db.exec("DROP VIEW IF EXISTS ${quote(t.table)}")
            db.exec(t.createView)
        }
        return changed.map { t ->
            rebuild(db, t)
            db.exec("INSERT OR REPLACE INTO \"_sync_meta\" (\"key\", \"value\") VALUES (?, ?)", listOf(metaKey(t), t.schemaHash))
            t.table
        }
    }

    private fun metaKey(t: LiveTable) = "schema_hash:${t.table}"

    private fun storedHash(
        db: SqlExecutor,
        t: LiveTable,
    ): String? = db.queryColumn("SELECT \"value\" FROM \"_sync_meta\" WHERE \"key\" = ${literal(metaKey(t))}", "value").firstOrNull()

    private fun rebuild(
        db: SqlExecutor,
        t: LiveTable,
    ) {
        val synced = quote("${t.table}_synced")
        val local = quote("${t.table}_local")
        val old = quote("${t.table}_local_old")
        db.exec("DROP VIEW IF EXISTS ${quote(t.table)}")
        db.exec("DROP TABLE IF EXISTS $synced")
        db.exec(t.createSynced)
        db.exec("DELETE FROM \"_sync_shapes\" WHERE \"shape_key\" = ? OR \"shape_key\" LIKE ?", listOf(t.table, "${t.table}|%"))
        val existing = db.queryColumn("PRAGMA table_info($local)", "name").filterNotNull().toSet()
        if (existing.isEmpty()) {
            db.exec(t.createLocal)
        } else {
            db.exec("ALTER TABLE $local RENAME TO $old")
            db.exec(t.createLocal)
            val keep = (t.columns.map { it.column } + listOf("_changed", "_deleted", "_write_id")).filter { it in existing }
            val cols = keep.joinToString(", ") { quote(it) }
            db.exec("INSERT INTO $local ($cols) SELECT $cols FROM $old")
            db.exec("DROP TABLE $old")
        }
        db.exec(t.createView)
    }
}
