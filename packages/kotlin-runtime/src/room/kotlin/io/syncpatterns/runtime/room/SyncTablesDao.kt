package io.syncpatterns.runtime.room

import androidx.room.Query
import androidx.room.Upsert
import kotlinx.coroutines.flow.Flow

/**
 * The queries of the shared sync tables (outbox, shapes, seen txids), the same in every app. Not a
 * `@Dao` itself: each app's generated `@Dao abstract class SyncDao : SyncTablesDao()` (declared
 * next to its `SyncDatabase`) inherits them, so Room writes `SyncDao_Impl` in the app's package
 * and two generated clients in two Gradle modules never write the same class. The live
 * repositories read pending and refused writes through it.
 */
abstract class SyncTablesDao {
    /** Pending outbox rows in FIFO order. */
    @Query("SELECT * FROM \"_sync_outbox\" WHERE \"status\" = 'pending' ORDER BY \"seq\"")
    abstract fun observePending(): Flow<List<SyncOutboxRow>>

    /** Makes every pending row due now (reconnect, app foreground; contract §2). */
    @Query("UPDATE \"_sync_outbox\" SET \"next_attempt_at\" = :now WHERE \"status\" = 'pending'")
    abstract suspend fun retryNow(now: Long)

    /** Keys (as outbox text) of [table] with a write the server refused, for `observeAllWithState()`. */
    @Query("SELECT DISTINCT \"pk\" FROM \"_sync_outbox\" WHERE \"table_name\" = :table AND \"status\" = 'failed'")
    abstract fun observeFailedKeys(table: String): Flow<List<String>>

    @Query("SELECT * FROM \"_sync_shapes\" WHERE \"shape_key\" = :shapeKey")
    abstract suspend fun shape(shapeKey: String): SyncShapeRow?

    @Upsert
    abstract suspend fun saveShape(row: SyncShapeRow)

    @Upsert
    abstract suspend fun markSeen(rows: List<SyncSeenTxidRow>)

    /** Keeps the newest 10,000 seen txids (contract §3). */
    @Query(
        "DELETE FROM \"_sync_seen_txids\" WHERE \"txid\" NOT IN " +
            "(SELECT \"txid\" FROM \"_sync_seen_txids\" ORDER BY \"seen_at\" DESC LIMIT 10000)",
    )
    abstract suspend fun pruneSeen()
}
