package io.syncpatterns.runtime.engine

import io.syncpatterns.runtime.sync.Columns
import io.syncpatterns.runtime.sync.LiveTable
import io.syncpatterns.runtime.sync.LocalRecord
import io.syncpatterns.runtime.sync.LocalTableAccess
import io.syncpatterns.runtime.sync.OutboxEffect
import io.syncpatterns.runtime.sync.OutboxEntry
import io.syncpatterns.runtime.sync.OutboxRow
import io.syncpatterns.runtime.sync.PgSnapshot
import io.syncpatterns.runtime.sync.SchemaUpgrade.quote
import io.syncpatterns.runtime.sync.ShapeChange
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/** A `_sync_outbox` row as stored. */
data class StoredOutboxRow(
    val row: OutboxRow,
    val payload: String,
    val error: String?,
    val createdAt: Long,
)

/**
 * The contract's storage effects in SQL over one [SqlDriver] (sync-runtime-contract §1-§5): the
 * write flow through the view ([access]), the outbox rows, `T_local` restores after a rollback or
 * reconciliation, and the shape batches into `T_synced` (or the refetch staging table),
 * `_sync_shapes` and `_sync_seen_txids`. Callers run each batch inside [SqlDriver.transaction].
 */
class SqlSyncStore(
    val db: SqlDriver,
    tables: List<LiveTable>,
) {
    private val byName = tables.associateBy { it.table }

    fun table(name: String): LiveTable = byName[name] ?: error("sync: unknown live table '$name'")

    private fun synced(t: LiveTable) = quote("${t.table}_synced")

    private fun staging(t: LiveTable) = quote("${t.table}_synced_refetch")

    private fun local(t: LiveTable) = quote("${t.table}_local")

    private fun pkColumn(t: LiveTable) = t.columns.first { it.name == t.primaryKey }

    private fun pkArg(
        t: LiveTable,
        pk: String,
    ): Any? = Storage.toSql(pkColumn(t), JsonPrimitive(pk))

    /** `LocalTableAccess` over SQL: the runtime's [io.syncpatterns.runtime.sync.LocalWrites] on this database. */
    fun access(t: LiveTable): LocalTableAccess =
        object : LocalTableAccess {
            override suspend fun readLocal(pk: JsonPrimitive): LocalRecord? = readLocal(t, pk.content)

            override suspend fun writeLocal(record: LocalRecord) = writeLocal(t, record)

            override suspend fun readView(pk: JsonPrimitive): JsonObject? = viewRow(t, pk.content)

            override suspend fun appendOutbox(entry: OutboxEntry) {
                db.exec(
                    "INSERT INTO \"_sync_outbox\" (\"write_id\", \"table_name\", \"op\", \"pk\", \"payload\", \"status\", \"attempts\", " +
                        "\"next_attempt_at\", \"confirmed\", \"created_at\") VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
                    listOf(
                        entry.writeId,
                        entry.table,
                        entry.op,
                        entry.pk,
                        entry.payload,
                        entry.createdAt,
                        if (entry.confirmed) 1L else 0L,
                        entry.createdAt,
                    ),
                )
            }
        }

    fun readLocal(
        t: LiveTable,
        pk: String,
    ): LocalRecord? {
        val row = db.query("SELECT * FROM ${local(t)} WHERE ${quote(t.primaryKey)} = ?", listOf(pkArg(t, pk))).firstOrNull() ?: return null
        val values = t.columns.associate { c -> c.name to Storage.fromSql(c, row[c.column]) }
        return LocalRecord(
            JsonPrimitive(pk),
            JsonObject(values),
            Columns.changedList(row["_changed"]?.toString() ?: "[]"),
            (row["_deleted"] as? Number)?.toLong() == 1L,
            row["_write_id"]?.toString(),
        )
    }

    fun writeLocal(
        t: LiveTable,
        record: LocalRecord,
    ) {
        val cols = t.columns.map { quote(it.column) } + listOf("\"_changed\"", "\"_deleted\"", "\"_write_id\"")
        val args =
            t.columns.map { c -> if (c.name == t.primaryKey) pkArg(t, record.pk.content) else Storage.toSql(c, record.values[c.name]) } +
                listOf(Columns.changedText(record.changed), if (record.deleted) 1L else 0L, record.writeId)
        db.exec("INSERT OR REPLACE INTO ${local(t)} (${cols.joinToString(", ")}) VALUES (${cols.joinToString(", ") { "?" }})", args)
    }

    private fun deleteLocal(
        t: LiveTable,
        pk: String,
    ) = db.exec("DELETE FROM ${local(t)} WHERE ${quote(t.primaryKey)} = ?", listOf(pkArg(t, pk)))

    /** The view row (`T`) of [pk] as wire JSON, or null when the key is not visible. */
    fun viewRow(
        t: LiveTable,
        pk: String,
    ): JsonObject? = viewRows(t, "WHERE ${quote(t.primaryKey)} = ?", listOf(pkArg(t, pk))).firstOrNull()

    /** View rows as wire JSON, `_pending` included. */
    fun viewRows(
        t: LiveTable,
        where: String = "",
        args: List<Any?> = emptyList(),
    ): List<JsonObject> =
        db.query("SELECT * FROM ${quote(t.table)} $where ORDER BY ${quote(t.primaryKey)}", args).map { row ->
            JsonObject(t.columns.associate { c -> c.name to Storage.fromSql(c, row[c.column]) })
        }

    /** `T_synced` rows as wire JSON. */
    fun syncedRows(t: LiveTable): List<JsonObject> =
        db.query("SELECT * FROM ${synced(t)} ORDER BY ${quote(t.primaryKey)}").map { row ->
            JsonObject(t.syncedColumns.associate { c -> c.name to Storage.fromSql(c, row[c.column]) })
        }

    /**
     * `T_synced` shows [row]'s write (a snapshot without txids, contract §5): a delete's key is
     * gone, an insert's or update's key holds every value of its payload.
     */
    fun shows(
        t: LiveTable,
        row: OutboxRow,
    ): Boolean {
        val synced =
            db.query("SELECT * FROM ${synced(t)} WHERE ${quote(t.primaryKey)} = ?", listOf(pkArg(t, row.pk))).firstOrNull()
        if (row.op == "delete") return synced == null
        if (synced == null) return false
        val payloadText =
            db.query("SELECT \"payload\" FROM \"_sync_outbox\" WHERE \"write_id\" = ?", listOf(row.writeId)).firstOrNull()?.get("payload")
                ?: return false
        val payload = runCatching { Json.parseToJsonElement(payloadText.toString()) as JsonObject }.getOrNull() ?: return false
        return t.syncedColumns.filter { it.name in payload && it.name != t.primaryKey }.all { c ->
            Storage.fromSql(c, synced[c.column]) == (payload[c.name] ?: JsonNull)
        }
    }

    private fun inSynced(
        t: LiveTable,
        pk: String,
    ): Boolean = db.query("SELECT 1 AS \"x\" FROM ${synced(t)} WHERE ${quote(t.primaryKey)} = ?", listOf(pkArg(t, pk))).isNotEmpty()

    // ---- outbox ---------------------------------------------------------------------------

    /** Every outbox row after [afterSeq], in `seq` order. */
    fun outbox(afterSeq: Long = 0): List<StoredOutboxRow> =
        db.query("SELECT * FROM \"_sync_outbox\" WHERE \"seq\" > ? ORDER BY \"seq\"", listOf(afterSeq)).map { r ->
            StoredOutboxRow(
                OutboxRow(
                    seq = (r["seq"] as Number).toLong(),
                    writeId = r["write_id"].toString(),
                    table = r["table_name"].toString(),
                    pk = r["pk"].toString(),
                    op = r["op"].toString(),
                    confirmed = (r["confirmed"] as? Number)?.toLong() == 1L,
                    status = r["status"].toString(),
                    attempts = (r["attempts"] as? Number)?.toInt() ?: 0,
                    nextAttemptAt = (r["next_attempt_at"] as? Number)?.toLong() ?: 0,
                    txid = r["txid"]?.toString(),
                ),
                r["payload"]?.toString() ?: "{}",
                r["error"]?.toString(),
                (r["created_at"] as? Number)?.toLong() ?: 0,
            )
        }

    /** At start: a row left `inflight` by a stopped app is pending again (its retry keeps its Idempotency-Key). */
    fun resetInflight() = db.exec("UPDATE \"_sync_outbox\" SET \"status\" = 'pending' WHERE \"status\" = 'inflight'")

    /** Keys with a pending write: `<table>/<pk>` → `_write_id`; and keys hidden by a 404 tombstone. */
    fun localKeys(): Pair<Map<String, String>, Set<String>> {
        val owned = linkedMapOf<String, String>()
        val hidden = linkedSetOf<String>()
        byName.values.forEach { t ->
            db.query("SELECT ${quote(t.primaryKey)} AS \"pk\", \"_write_id\", \"_deleted\" FROM ${local(t)}").forEach { r ->
                val key = "${t.table}/${r["pk"]}"
                val writeId = r["_write_id"]?.toString()
                if (writeId != null) {
                    owned[key] = writeId
                } else if ((r["_deleted"] as? Number)?.toLong() == 1L) {
                    hidden += key
                }
            }
        }
        return owned to hidden
    }

    fun seenTxids(): List<String> = db.query("SELECT \"txid\" FROM \"_sync_seen_txids\" ORDER BY \"seen_at\"").map { it["txid"].toString() }

    /** Applies the machine's decisions to `_sync_outbox` and `T_local` (inside the caller's transaction). */
    fun apply(
        effects: List<OutboxEffect>,
        now: Long,
    ) {
        effects.forEach { e ->
            when (e) {
                is OutboxEffect.Update -> {
                    db.exec(
                        "UPDATE \"_sync_outbox\" SET \"status\" = ?, \"attempts\" = ?, \"next_attempt_at\" = ?, \"txid\" = ? WHERE \"write_id\" = ?",
                        listOf(e.row.status, e.row.attempts.toLong(), e.row.nextAttemptAt, e.row.txid, e.row.writeId),
                    )
                }

                is OutboxEffect.Delete -> {
                    deleteOutbox(e.row.writeId)
                }

                is OutboxEffect.Reconcile -> {
                    deleteOutbox(e.row.writeId)
                    if (e.owned) dropOverrides(table(e.row.table), e.row.pk, reconciledDelete = e.row.op == "delete")
                }

                is OutboxEffect.Rollback -> {
                    val refusal = e.refusal
                    if (refusal == null) {
                        deleteOutbox(e.row.writeId)
                    } else {
                        val error =
                            buildJsonObject {
                                put("status", refusal.status)
                                put("message", ErrorBodies.message(refusal.status, refusal.body))
                                put(
                                    "body",
                                    refusal.body?.let { runCatching { Json.parseToJsonElement(it) }.getOrNull() ?: JsonPrimitive(it) }
                                        ?: JsonNull,
                                )
                                put("failedAt", now)
                            }
                        db.exec(
                            "UPDATE \"_sync_outbox\" SET \"status\" = 'failed', \"error\" = ? WHERE \"write_id\" = ?",
                            listOf(error.toString(), e.row.writeId),
                        )
                    }
                    if (e.owned) restoreLocal(table(e.row.table), e.row.pk)
                }

                is OutboxEffect.Hide -> {
                    hide(table(e.table), e.pk)
                }
            }
        }
    }

    private fun deleteOutbox(writeId: String) = db.exec("DELETE FROM \"_sync_outbox\" WHERE \"write_id\" = ?", listOf(writeId))

    /** Local-only (`L`) values of a record, non-null ones. */
    private fun localOnly(
        t: LiveTable,
        record: LocalRecord,
    ): Map<String, JsonElement> =
        t.localOnlyColumns
            .mapNotNull { c ->
                record.values[c.name]?.takeIf { it !is JsonNull }?.let { c.name to it }
            }.toMap()

    private fun bare(
        t: LiveTable,
        record: LocalRecord,
    ): LocalRecord =
        record.copy(
            values = JsonObject(mapOf(t.primaryKey to record.pk) + localOnly(t, record)),
            changed = emptyList(),
            deleted = false,
            writeId = null,
        )

    /** Contract §3: the key's synced overrides go; the row goes when nothing local is left. */
    private fun dropOverrides(
        t: LiveTable,
        pk: String,
        reconciledDelete: Boolean,
    ) {
        val record = readLocal(t, pk) ?: return
        if (record.deleted && reconciledDelete) return deleteLocal(t, pk)
        val kept = bare(t, record).copy(deleted = record.deleted)
        if (!kept.deleted && localOnly(t, record).isEmpty()) deleteLocal(t, pk) else writeLocal(t, kept)
    }

    /**
     * Contract §2 rollback: `T_local` is rebuilt from the key's remaining writes that have not
     * failed (their payloads in `seq` order); with none left its overrides go, and the row goes
     * when it holds no local-only value or the key is not synced (a refused insert disappears).
     */
    fun restoreLocal(
        t: LiveTable,
        pk: String,
    ) {
        val record =
            readLocal(t, pk)
                ?: LocalRecord(JsonPrimitive(pk), JsonObject(mapOf(t.primaryKey to JsonPrimitive(pk))), emptyList(), false, null)
        val remaining =
            db.query(
                "SELECT \"write_id\", \"op\", \"payload\" FROM \"_sync_outbox\" WHERE \"table_name\" = ? AND \"pk\" = ? AND \"status\" <> 'failed' ORDER BY \"seq\"",
                listOf(t.table, pk),
            )
        if (remaining.isEmpty()) {
            if (localOnly(t, record).isEmpty() || !inSynced(t, pk)) deleteLocal(t, pk) else writeLocal(t, bare(t, record))
            return
        }
        var rebuilt = bare(t, record)
        remaining.forEach { r ->
            val payload = Json.parseToJsonElement(r["payload"].toString()) as JsonObject
            rebuilt =
                when (r["op"].toString()) {
                    "delete" -> {
                        rebuilt.copy(deleted = true)
                    }

                    else -> {
                        val given = payload.filterKeys { it != t.primaryKey }
                        rebuilt.copy(values = JsonObject(rebuilt.values + given), changed = (rebuilt.changed + given.keys).distinct())
                    }
                }
            rebuilt = rebuilt.copy(writeId = r["write_id"].toString())
        }
        writeLocal(t, rebuilt)
    }

    /** A 404 tombstone: the key stays hidden until the shape's delete (gone at once when not synced). */
    private fun hide(
        t: LiveTable,
        pk: String,
    ) {
        if (!inSynced(t, pk)) return deleteLocal(t, pk)
        val record =
            readLocal(t, pk)
                ?: LocalRecord(JsonPrimitive(pk), JsonObject(mapOf(t.primaryKey to JsonPrimitive(pk))), emptyList(), false, null)
        writeLocal(t, bare(t, record).copy(deleted = true))
    }

    // ---- shapes ---------------------------------------------------------------------------

    private fun metaKey(t: LiveTable) = "refetch:${t.table}"

    private fun snapshotKey(t: LiveTable) = "snapshot:${t.table}"

    /** Stores the snapshot [t]'s rows were last read in (`snapshot-end`), for answers arriving later and restarts. */
    fun storeSnapshot(
        t: LiveTable,
        snapshot: PgSnapshot,
    ) = db.exec(
        "INSERT OR REPLACE INTO \"_sync_meta\" (\"key\", \"value\") VALUES (?, ?)",
        listOf(snapshotKey(t), snapshot.toJson().toString()),
    )

    /** The stored snapshot of [t]'s `T_synced`, or null (none yet, or a must-refetch in progress). */
    fun snapshot(t: LiveTable): PgSnapshot? {
        if (refetching(t)) return null
        val text = db.query("SELECT \"value\" FROM \"_sync_meta\" WHERE \"key\" = ?", listOf(snapshotKey(t))).firstOrNull()?.get("value")
        return text?.let { runCatching { PgSnapshot.of(Json.parseToJsonElement(it.toString()) as JsonObject) }.getOrNull() }
    }

    /** A must-refetch is in progress (its snapshot goes to the staging table; persisted across restarts). */
    fun refetching(t: LiveTable): Boolean =
        db.queryColumn("SELECT \"value\" FROM \"_sync_meta\" WHERE \"key\" = '${metaKey(t).replace("'", "''")}'", "value").isNotEmpty()

    fun position(shapeKey: String): Pair<String?, String>? =
        db.query("SELECT \"handle\", \"offset\" FROM \"_sync_shapes\" WHERE \"shape_key\" = ?", listOf(shapeKey)).firstOrNull()?.let {
            it["handle"]?.toString() to (it["offset"]?.toString() ?: "-1")
        }

    /** Starts a must-refetch: an empty staging table and the persisted flag; `T_synced` keeps serving the view. */
    fun beginRefetch(t: LiveTable) {
        db.exec("DROP TABLE IF EXISTS ${staging(t)}")
        db.exec(t.createSynced.replaceFirst(synced(t), staging(t)))
        db.exec("INSERT OR REPLACE INTO \"_sync_meta\" (\"key\", \"value\") VALUES (?, '1')", listOf(metaKey(t)))
        db.exec("DELETE FROM \"_sync_meta\" WHERE \"key\" = ?", listOf(snapshotKey(t)))
    }

    /**
     * Applies one batch's changes to `T_synced`, or to the staging table during a refetch. Returns
     * the keys deleted (a delete message also drops the key's `T_local` row without a pending write).
     */
    fun applyChanges(
        t: LiveTable,
        changes: List<ShapeChange>,
    ): List<String> {
        val refetch = refetching(t)
        val target = if (refetch) staging(t) else synced(t)
        val deleted = mutableListOf<String>()
        changes.forEach { change ->
            val pk = keyOf(t, change) ?: return@forEach
            val cols = t.syncedColumns.filter { it.name in change.value && it.name != t.primaryKey }
            when (change.op) {
                "insert" -> {
                    val all = listOf(pkColumn(t)) + cols
                    db.exec(
                        "INSERT OR REPLACE INTO $target (${all.joinToString(
                            ", ",
                        ) { quote(it.column) }}) VALUES (${all.joinToString(", ") { "?" }})",
                        listOf(pkArg(t, pk)) + cols.map { Storage.toSql(it, change.value[it.name]) },
                    )
                }

                "update" -> {
                    if (cols.isNotEmpty()) {
                        db.exec(
                            "UPDATE $target SET ${cols.joinToString(", ") { "${quote(it.column)} = ?" }} WHERE ${quote(t.primaryKey)} = ?",
                            cols.map { Storage.toSql(it, change.value[it.name]) } + listOf(pkArg(t, pk)),
                        )
                    }
                }

                "delete" -> {
                    db.exec("DELETE FROM $target WHERE ${quote(t.primaryKey)} = ?", listOf(pkArg(t, pk)))
                    if (!refetch) {
                        db.exec(
                            "DELETE FROM ${local(t)} WHERE ${quote(t.primaryKey)} = ? AND \"_write_id\" IS NULL",
                            listOf(pkArg(t, pk)),
                        )
                    }
                    deleted += pk
                }
            }
        }
        return deleted
    }

    /**
     * The end of a must-refetch (first up-to-date): `T_synced` takes the staging table's rows, the
     * staging table and the flag go, and `T_local` rows left invisible (no synced row, no pending
     * write) are deleted. The caller reconciles sent writes in the same transaction.
     */
    fun finishRefetch(t: LiveTable) {
        db.exec("DELETE FROM ${synced(t)}")
        db.exec("INSERT INTO ${synced(t)} SELECT * FROM ${staging(t)}")
        db.exec("DROP TABLE ${staging(t)}")
        db.exec("DELETE FROM \"_sync_meta\" WHERE \"key\" = ?", listOf(metaKey(t)))
        db.exec(
            "DELETE FROM ${local(
                t,
            )} WHERE \"_write_id\" IS NULL AND ${quote(t.primaryKey)} NOT IN (SELECT ${quote(t.primaryKey)} FROM ${synced(t)})",
        )
    }

    fun savePosition(
        t: LiveTable,
        shapeKey: String,
        handle: String?,
        offset: String,
        now: Long,
    ) = db.exec(
        "INSERT OR REPLACE INTO \"_sync_shapes\" (\"shape_key\", \"handle\", \"offset\", \"schema_hash\", \"updated_at\") VALUES (?, ?, ?, ?, ?)",
        listOf(shapeKey, handle, offset, t.schemaHash, now),
    )

    /** Records txids as seen, keeping the newest 10,000 (contract §3). */
    fun markSeen(
        txids: List<String>,
        now: Long,
    ) {
        if (txids.isEmpty()) return
        txids.forEach { db.exec("INSERT OR REPLACE INTO \"_sync_seen_txids\" (\"txid\", \"seen_at\") VALUES (?, ?)", listOf(it, now)) }
        db.exec(
            "DELETE FROM \"_sync_seen_txids\" WHERE \"txid\" NOT IN (SELECT \"txid\" FROM \"_sync_seen_txids\" ORDER BY \"seen_at\" DESC LIMIT 10000)",
        )
    }

    /** The row key of a change: its primary-key value, else the last quoted segment of Electric's key. */
    private fun keyOf(
        t: LiveTable,
        change: ShapeChange,
    ): String? {
        (change.value[t.primaryKey] as? JsonPrimitive)?.takeIf { it !is JsonNull }?.let { return it.content }
        return Regex("/\"((?:[^\"]|\"\")*)\"$")
            .find(change.key)
            ?.groupValues
            ?.get(1)
            ?.replace("\"\"", "\"")
    }
}
