package io.syncpatterns.runtime.room

import androidx.room.ColumnInfo
import androidx.room.Entity
import androidx.room.Index
import androidx.room.PrimaryKey
import io.syncpatterns.runtime.sync.OutboxEntry

// The shared sync tables of contract §1 as Room entities, the same in every app: each generated
// `SyncDatabase` lists them in its `@Database(entities = …)` next to its own tables. Room's
// processor reads the entities a database lists from the classpath, so they need not be in the
// app module (no class is generated per entity); their column names and types are what
// test-apps/kotlin's SHARED_DDL (Jdbc.kt) creates. Their queries: SyncTablesDao.

/** `_sync_outbox` (contract §1-2): pending writes, one FIFO over every table in seq order. */
@Entity(tableName = "_sync_outbox", indices = [Index("write_id", unique = true)])
data class SyncOutboxRow(
    @PrimaryKey(autoGenerate = true)
    @ColumnInfo(name = "seq")
    val seq: Long = 0,
    @ColumnInfo(name = "write_id")
    val writeId: String,
    @ColumnInfo(name = "table_name")
    val tableName: String,
    @ColumnInfo(name = "op")
    val op: String,
    @ColumnInfo(name = "pk")
    val pk: String,
    @ColumnInfo(name = "payload")
    val payload: String,
    @ColumnInfo(name = "status")
    val status: String = "pending",
    @ColumnInfo(name = "attempts")
    val attempts: Int = 0,
    @ColumnInfo(name = "next_attempt_at")
    val nextAttemptAt: Long = 0,
    @ColumnInfo(name = "txid")
    val txid: String? = null,
    @ColumnInfo(name = "error")
    val error: String? = null,
    @ColumnInfo(name = "confirmed")
    val confirmed: Boolean,
    @ColumnInfo(name = "created_at")
    val createdAt: Long,
) {
    companion object {
        /** A new pending row for [entry]. */
        fun of(entry: OutboxEntry): SyncOutboxRow =
            SyncOutboxRow(
                writeId = entry.writeId,
                tableName = entry.table,
                op = entry.op,
                pk = entry.pk,
                payload = entry.payload,
                nextAttemptAt = entry.createdAt,
                confirmed = entry.confirmed,
                createdAt = entry.createdAt,
            )
    }
}

/** `_sync_shapes` (contract §1, §5): handle and offset of each shape, moved with its rows. */
@Entity(tableName = "_sync_shapes")
data class SyncShapeRow(
    @PrimaryKey
    @ColumnInfo(name = "shape_key")
    val shapeKey: String,
    @ColumnInfo(name = "handle")
    val handle: String?,
    @ColumnInfo(name = "offset")
    val offset: String?,
    @ColumnInfo(name = "schema_hash")
    val schemaHash: String,
    @ColumnInfo(name = "updated_at")
    val updatedAt: Long,
)

/** `_sync_meta` (contract §1, §6): `schema_hash:<table>` per live entity. */
@Entity(tableName = "_sync_meta")
data class SyncMetaRow(
    @PrimaryKey
    @ColumnInfo(name = "key")
    val key: String,
    @ColumnInfo(name = "value")
    val value: String?,
)

/** `_sync_seen_txids` (contract §3): txids applied from the shape, pruned to the last 10,000. */
@Entity(tableName = "_sync_seen_txids")
data class SyncSeenTxidRow(
    @PrimaryKey
    @ColumnInfo(name = "txid")
    val txid: String,
    @ColumnInfo(name = "seen_at")
    val seenAt: Long,
)
