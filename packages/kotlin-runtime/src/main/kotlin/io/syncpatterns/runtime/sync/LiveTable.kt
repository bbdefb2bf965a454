package io.syncpatterns.runtime.sync

import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** One column of a live table (sync-runtime-contract §1): wire name = column name. */
data class ColumnSpec(
    val name: String,
    /** The IR's storage class (`text`, `uuid`, `int64`, `json`, …). */
    val storage: String,
    val nullable: Boolean,
    /** False for `x-sync-exclude` columns (`L`): local only, never in a payload. */
    val synced: Boolean,
    /** The local SQLite column (differs from [name] only for case-insensitive clashes). */
    val column: String = name,
)

/**
 * A live entity's local schema as generated code describes it. The runtime implements the
 * contract's write flow and upgrades once over this description instead of per entity.
 */
interface LiveTable {
    /** `T`: the Electric table and the view's name. */
    val table: String
    val primaryKey: String
    val primaryKeyStorage: String

    /** Primary key first, then the item schema's fields (IR `Entity.columns`). */
    val columns: List<ColumnSpec>

    /** `local_first: false`: writes are confirmed by the server (contract §4). */
    val confirmed: Boolean

    /** SHA-256 of `name:storage:nullable` of the synced columns, in order (contract §6). */
    val schemaHash: String

    /** `CREATE TABLE` of `T_synced`, of `T_local`, then `CREATE VIEW` of `T`. */
    val createSynced: String
    val createLocal: String
    val createView: String

    val syncedColumns: List<ColumnSpec> get() = columns.filter { it.synced }
    val localOnlyColumns: List<ColumnSpec> get() = columns.filter { !it.synced }
}

/** A `T_local` row: values by column name as JSON (what the wire and payloads use). */
data class LocalRecord(
    val pk: JsonPrimitive,
    val values: JsonObject,
    val changed: List<String>,
    val deleted: Boolean,
    val writeId: String?,
)

/** A `_sync_outbox` row to append (seq is assigned by the database). */
data class OutboxEntry(
    val writeId: String,
    val table: String,
    val op: String,
    val pk: String,
    val payload: String,
    val confirmed: Boolean,
    val createdAt: Long,
)

/**
 * What [LocalWrites] needs from the database, called inside ONE transaction (the generated DAO's
 * `@Transaction` methods implement it with Room queries).
 */
interface LocalTableAccess {
    suspend fun readLocal(pk: JsonPrimitive): LocalRecord?

    suspend fun writeLocal(record: LocalRecord)

    /** The merged view row (`T`) as JSON, or null when the key is not visible. */
    suspend fun readView(pk: JsonPrimitive): JsonObject?

    suspend fun appendOutbox(entry: OutboxEntry)
}
