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
 * The shared tables as Room would create them from the generated SyncTables.kt entities (Room
 * is not available here: see room-stub/README.md).
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

/** Room's SupportSQLiteDatabase (stub interface) over JDBC, to run the generated migration glue. */
class JdbcSupportDb(
    private val c: Connection,
) : SupportSQLiteDatabase {
    override fun execSQL(sql: String) = c.exec(sql)

    override fun execSQL(
        sql: String,
        bindArgs: Array<out Any?>,
    ) = c.exec(sql, *bindArgs)

    override fun query(query: String): Cursor {
        val rows = c.rows(query)
        val columns =
            rows
                .firstOrNull()
                ?.keys
                ?.toList()
                .orEmpty()
        var i = -1
        return object : Cursor {
            override fun moveToNext() = ++i < rows.size

            override fun getColumnIndex(columnName: String) = columns.indexOf(columnName)

            override fun getString(columnIndex: Int) = rows[i][columns[columnIndex]]?.toString()

            override fun close() {}
        }
    }
}
