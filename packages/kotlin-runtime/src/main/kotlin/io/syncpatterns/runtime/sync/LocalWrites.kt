package io.syncpatterns.runtime.sync

import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import java.util.UUID

/**
 * Writes through the view, exactly as sync-runtime-contract §1 specifies (the SQL triggers of the
 * Postgres/GRDB targets, written once in Kotlin for Room): `T_local` and the outbox change in the
 * caller's transaction, payloads carry the primary key plus synced columns only.
 */
object LocalWrites {
    /** Insert: upsert `T_local`, `_changed` = given synced columns, outbox `insert`. Returns the key. */
    suspend fun insert(
        table: LiveTable,
        access: LocalTableAccess,
        given: JsonObject,
        writeId: String,
        now: Long,
    ): JsonPrimitive {
        val values = known(table, given).toMutableMap()
        val pk = (values[table.primaryKey] as? JsonPrimitive)?.takeIf { it !is JsonNull } ?: newKey(table)
        values[table.primaryKey] = pk
        val synced = table.syncedColumns.map { it.name }.filter { it in values && it != table.primaryKey }
        access.writeLocal(LocalRecord(pk, JsonObject(values), synced, deleted = false, writeId = writeId))
        access.appendOutbox(entry(table, "insert", pk, payload(table, pk, values, synced), writeId, now))
        return pk
    }

    /**
     * Update: only values distinct from the view's current ones count. Changed synced columns join
     * `_changed` and go to the outbox; local-only columns are stored without an outbox row and
     * without touching `_write_id`. Returns false when nothing synced changed (no outbox row).
     */
    suspend fun update(
        table: LiveTable,
        access: LocalTableAccess,
        pk: JsonPrimitive,
        given: JsonObject,
        writeId: String,
        now: Long,
    ): Boolean {
        val current = access.readView(pk) ?: throw NoSuchElementException("${table.table}: no row with key ${pk.content}")
        val changes = known(table, given).filter { (name, value) -> name != table.primaryKey && current[name] != value }
        val syncedNames = table.syncedColumns.map { it.name }.toSet()
        val changedSynced = changes.keys.filter { it in syncedNames }
        val local = access.readLocal(pk) ?: LocalRecord(pk, JsonObject(mapOf(table.primaryKey to pk)), emptyList(), false, null)
        val merged = JsonObject(local.values + changes)
        val hasSynced = changedSynced.isNotEmpty()
        access.writeLocal(
            local.copy(
                values = merged,
                changed = if (hasSynced) (local.changed + changedSynced).distinct() else local.changed,
                writeId = if (hasSynced) writeId else local.writeId,
            ),
        )
        if (hasSynced) access.appendOutbox(entry(table, "update", pk, payload(table, pk, changes, changedSynced), writeId, now))
        return hasSynced
    }

    /** Delete: `_deleted = true`, a new `_write_id`, outbox `delete` with payload `{P}`. */
    suspend fun delete(
        table: LiveTable,
        access: LocalTableAccess,
        pk: JsonPrimitive,
        writeId: String,
        now: Long,
    ) {
        val local = access.readLocal(pk) ?: LocalRecord(pk, JsonObject(mapOf(table.primaryKey to pk)), emptyList(), false, null)
        access.writeLocal(local.copy(deleted = true, writeId = writeId))
        access.appendOutbox(entry(table, "delete", pk, payload(table, pk, emptyMap(), emptyList()), writeId, now))
    }

    /** A new write id: UUID v4, lower-case (contract §1). */
    fun newWriteId(): String = UUID.randomUUID().toString().lowercase()

    private fun known(
        table: LiveTable,
        given: JsonObject,
    ): Map<String, kotlinx.serialization.json.JsonElement> {
        val names = table.columns.map { it.name }.toSet()
        return given.filterKeys { it in names }
    }

    private fun newKey(table: LiveTable): JsonPrimitive {
        require(
            table.primaryKeyStorage == "uuid",
        ) { "${table.table}: ${table.primaryKey} must be given (only uuid keys are generated locally)" }
        return JsonPrimitive(UUID.randomUUID().toString().lowercase())
    }

    private fun payload(
        table: LiveTable,
        pk: JsonPrimitive,
        values: Map<String, kotlinx.serialization.json.JsonElement>,
        synced: List<String>,
    ): String =
        buildJsonObject {
            put(table.primaryKey, pk)
            synced.forEach { name -> values[name]?.let { put(name, it) } }
        }.toString()

    private fun entry(
        table: LiveTable,
        op: String,
        pk: JsonPrimitive,
        payload: String,
        writeId: String,
        now: Long,
    ) = OutboxEntry(writeId, table.table, op, pk.content, payload, table.confirmed, now)
}
