package io.syncpatterns.runtime.room

import android.database.Cursor
import androidx.room.RoomDatabase
import androidx.sqlite.db.SupportSQLiteDatabase
import io.syncpatterns.runtime.engine.SqlDriver

/**
 * The runtime's [SqlDriver] over Room's `SupportSQLiteDatabase` (`roomDb.openHelper.writableDatabase`,
 * or the `db` a migration or callback receives). The only Room-dependent class of the runtime: it
 * lives in its own source set (`src/room`), compiled against androidx.sqlite.
 */
class RoomSqlDriver(
    private val db: SupportSQLiteDatabase,
    /** Called after each committed change, so Room's Flow queries see the engine's writes. */
    private val onChange: () -> Unit = {},
) : SqlDriver {
    private var depth = 0

    /** Over a Room database: the engine's commits refresh Room's invalidation tracker. */
    constructor(database: RoomDatabase) : this(database.openHelper.writableDatabase, database.invalidationTracker::refreshVersionsAsync)

    override fun exec(
        sql: String,
        args: List<Any?>,
    ) {
        if (args.isEmpty()) db.execSQL(sql) else db.execSQL(sql, args.map(::bindable).toTypedArray())
        if (depth == 0) onChange()
    }

    override fun query(
        sql: String,
        args: List<Any?>,
    ): List<Map<String, Any?>> =
        db.query(sql, args.map(::bindable).toTypedArray()).use { cursor ->
            val names = (0 until cursor.getColumnCount()).map(cursor::getColumnName)
            buildList {
                while (cursor.moveToNext()) add(names.indices.associate { i -> names[i] to value(cursor, i) })
            }
        }

    override fun beginTransaction() {
        db.beginTransaction()
        depth++
    }

    override fun setTransactionSuccessful() = db.setTransactionSuccessful()

    override fun endTransaction() {
        db.endTransaction()
        depth--
        if (depth == 0) onChange()
    }

    private fun bindable(value: Any?): Any? =
        when (value) {
            is Boolean -> if (value) 1L else 0L
            is Int -> value.toLong()
            else -> value
        }

    private fun value(
        cursor: Cursor,
        i: Int,
    ): Any? =
        when (cursor.getType(i)) {
            Cursor.FIELD_TYPE_NULL -> null
            Cursor.FIELD_TYPE_INTEGER -> cursor.getLong(i)
            Cursor.FIELD_TYPE_FLOAT -> cursor.getDouble(i)
            Cursor.FIELD_TYPE_BLOB -> cursor.getBlob(i)
            else -> cursor.getString(i)
        }
}
