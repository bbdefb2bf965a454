package io.syncpatterns.runtime.engine

import io.syncpatterns.runtime.sync.SqlExecutor

/**
 * The SQL the sync engine runs, over the app's database: on Android the runtime's Room adapter
 * (`io.syncpatterns.runtime.room.RoomSqlDriver` over Room's `SupportSQLiteDatabase`), in tests
 * any SQLite driver. Calls are blocking; the engine makes them off the main thread, one at a time.
 */
interface SqlDriver : SqlExecutor {
    /** The rows of [sql], each as column name → value (`null`, `Long`, `Double`, `String` or `ByteArray`). */
    fun query(
        sql: String,
        args: List<Any?> = emptyList(),
    ): List<Map<String, Any?>>

    /** Starts a transaction (Room: `beginTransaction`); transactions may nest. */
    fun beginTransaction()

    /** Marks the current transaction successful (Room: `setTransactionSuccessful`). */
    fun setTransactionSuccessful()

    /** Ends the current transaction: committed when marked successful, else rolled back. */
    fun endTransaction()

    override fun queryColumn(
        sql: String,
        column: String,
    ): List<String?> = query(sql).map { it[column]?.toString() }
}
