package testapp

import android.database.Cursor
import androidx.sqlite.db.SupportSQLiteDatabase
import io.syncpatterns.runtime.sync.SqlExecutor
import java.sql.Connection
import java.sql.DriverManager
import java.sql.ResultSet

/** A fresh in-memory SQLite database (sqlite-jdbc: the same engine Android ships). */
fun memoryDb(): Connection = DriverManager.getConnection("jdbc:sqlite::memory:")

/**
 * The shared tables as Room would create them from the runtime's SyncTables.kt entities
 * (packages/kotlin-runtime/src/room; Room is not available here: see room-stub/README.md).
 */
val SHARED_DDL =
    listOf(
        "CREATE TABLE \"_sync_outbox\" (\"seq\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, \"write_id\" TEXT NOT NULL, \"table_name\" TEXT NOT NULL, " +
            "\"op\" TEXT NOT NULL, \"pk\" TEXT NOT NULL, \"payload\" TEXT NOT NULL, \"status\" TEXT NOT NULL, \"attempts\" INTEGER NOT NULL, " +
            "\"next_attempt_at\" INTEGER NOT NULL, \"txid\" TEXT, \"error\" TEXT, \"confirmed\" INTEGER NOT NULL, \"created_at\" INTEGER NOT NULL)",
        "CREATE UNIQUE INDEX \"index__sync_outbox_write_id\" ON \"_sync_outbox\" (\"write_id\")",
        "CREATE TABLE \"_sync_shapes\" (\"shape_key\" TEXT NOT NULL, \"handle\" TEXT, \"offset\" TEXT, \"schema_hash\" TEXT NOT NULL, \"updated_at\" INTEGER NOT NULL, PRIMARY KEY(\"shape_key\"))",
        "CREATE TABLE \"_sync_meta\" (\"key\" TEXT NOT NULL, \"value\" TEXT, PRIMARY KEY(\"key\"))",
        "CREATE TABLE \"_sync_seen_txids\" (\"txid\" TEXT NOT NULL, \"seen_at\" INTEGER NOT NULL, PRIMARY KEY(\"txid\"))",
    )

fun Connection.exec(
    sql: String,
    vararg args: Any?,
) {
    prepareStatement(sql).use { st ->
        args.forEachIndexed { i, a -> st.setObject(i + 1, a) }
        st.execute()
    }
}

fun Connection.rows(
    sql: String,
    vararg args: Any?,
): List<Map<String, Any?>> =
    prepareStatement(sql).use { st ->
        args.forEachIndexed { i, a -> st.setObject(i + 1, a) }
        st.executeQuery().use { rs -> generateSequence { if (rs.next()) rs.toMap() else null }.toList() }
    }

private fun ResultSet.toMap(): Map<String, Any?> = (1..metaData.columnCount).associate { metaData.getColumnLabel(it) to getObject(it) }

/** The runtime's SqlExecutor over JDBC. */
class JdbcExecutor(
    private val c: Connection,
) : SqlExecutor {
    override fun exec(
        sql: String,
        args: List<Any?>,
    ) = c.exec(sql, *args.toTypedArray())

    override fun queryColumn(
        sql: String,
        column: String,
    ): List<String?> = c.rows(sql).map { it[column]?.toString() }
}

/**
 * TEST DOUBLE of the Android driver: Room's `SupportSQLiteDatabase` (stub interface) over
 * sqlite-jdbc, so the generated migration glue and the runtime's `RoomSqlDriver` run on the JVM
 * against real SQLite. Transactions nest as on Android (the outermost one commits only when every
 * level was marked successful).
 */
class JdbcSupportDb(
    private val c: Connection,
) : SupportSQLiteDatabase {
    private var depth = 0
    private var failed = false
    private val successful = ArrayDeque<Boolean>()

    override fun execSQL(sql: String) = c.exec(sql)

    override fun execSQL(
        sql: String,
        bindArgs: Array<out Any?>,
    ) = c.exec(sql, *bindArgs)

    override fun query(query: String): Cursor = query(query, emptyArray())

    override fun query(
        query: String,
        bindArgs: Array<out Any?>,
    ): Cursor {
        val rows = mutableListOf<List<Any?>>()
        val columns = mutableListOf<String>()
        c.prepareStatement(query).use { st ->
            bindArgs.forEachIndexed { i, a -> st.setObject(i + 1, a) }
            st.executeQuery().use { rs ->
                val meta = rs.metaData
                (1..meta.columnCount).forEach { columns += meta.getColumnLabel(it) }
                while (rs.next()) rows += (1..meta.columnCount).map { rs.getObject(it) }
            }
        }
        var i = -1
        return object : Cursor {
            override fun moveToNext() = ++i < rows.size

            override fun getColumnIndex(columnName: String) = columns.indexOf(columnName)

            override fun getColumnCount() = columns.size

            override fun getColumnName(columnIndex: Int) = columns[columnIndex]

            override fun getType(columnIndex: Int) =
                when (rows[i][columnIndex]) {
                    null -> Cursor.FIELD_TYPE_NULL
                    is Int, is Long, is Short, is Byte -> Cursor.FIELD_TYPE_INTEGER
                    is Float, is Double -> Cursor.FIELD_TYPE_FLOAT
                    is ByteArray -> Cursor.FIELD_TYPE_BLOB
                    else -> Cursor.FIELD_TYPE_STRING
                }

            override fun getString(columnIndex: Int) = rows[i][columnIndex]?.toString()

            override fun getLong(columnIndex: Int) = (rows[i][columnIndex] as Number).toLong()

            override fun getDouble(columnIndex: Int) = (rows[i][columnIndex] as Number).toDouble()

            override fun getBlob(columnIndex: Int) = rows[i][columnIndex] as ByteArray?

            override fun isNull(columnIndex: Int) = rows[i][columnIndex] == null

            override fun close() {}
        }
    }

    override fun beginTransaction() {
        if (depth == 0) {
            c.autoCommit = false
            failed = false
        }
        depth++
        successful.addLast(false)
    }

    override fun setTransactionSuccessful() {
        successful.removeLast()
        successful.addLast(true)
    }

    override fun endTransaction() {
        if (!successful.removeLast()) failed = true
        depth--
        if (depth == 0) {
            if (failed) c.rollback() else c.commit()
            c.autoCommit = true
        }
    }
}
