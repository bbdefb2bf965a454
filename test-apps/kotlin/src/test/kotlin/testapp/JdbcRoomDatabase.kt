package testapp

import android.database.Cursor
import androidx.room.ColumnInfo
import androidx.room.Entity
import androidx.room.InvalidationTracker
import androidx.room.PrimaryKey
import androidx.room.Query
import androidx.room.TypeConverter
import androidx.sqlite.db.SupportSQLiteDatabase
import androidx.sqlite.db.SupportSQLiteOpenHelper
import e2e.crm.data.AccountDao
import e2e.crm.data.AccountLocalRow
import e2e.crm.data.AccountRow
import e2e.crm.data.ContactDao
import e2e.crm.data.ContactLocalRow
import e2e.crm.data.ContactRow
import e2e.crm.data.LineItemDao
import e2e.crm.data.SyncConverters
import e2e.crm.data.SyncDao
import e2e.crm.data.SyncDatabase
import io.syncpatterns.runtime.room.SyncOutboxRow
import io.syncpatterns.runtime.room.SyncSeenTxidRow
import io.syncpatterns.runtime.room.SyncShapeRow
import io.syncpatterns.runtime.room.SyncTablesDao
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.conflate
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.withContext
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.lang.reflect.Constructor
import java.lang.reflect.Method
import java.util.concurrent.CopyOnWriteArrayList

/**
 * TEST DOUBLE of the code Room's annotation processor generates for the crm `SyncDatabase` (Room
 * is on Google's Maven, unreachable here; see room-stub/README.md). It is NOT Room: it runs the
 * generated DAOs' own `@Query` SQL (read from the annotations) on sqlite-jdbc through
 * [SupportSQLiteDatabase], maps result columns to the generated row classes by their
 * `@ColumnInfo` names with the generated `@TypeConverter`s, writes `@Entity` rows by their
 * columns, wraps the DAOs' `@Transaction` methods in one transaction, and re-runs every Flow query
 * after each committed change (Room re-runs only the queries whose tables changed). Its
 * [InvalidationTracker] notifies observers of the tables a commit wrote, which is how
 * `RoomSync.engine` hears of the outbox rows the DAOs append.
 *
 * Every SQL statement runs on [dispatcher], a single thread (Room's writes are serialised on one
 * connection too); a DAO transaction does not suspend, so nothing interleaves with it.
 *
 * Implemented: the contacts, accounts and sync DAOs (what the cross-platform client and
 * `ConfirmedRepositoryTest` use); the line items DAO throws.
 */
class JdbcRoomDatabase(
    support: SupportSQLiteDatabase,
    val dispatcher: CoroutineDispatcher,
) : SyncDatabase() {
    private val tracker = Tracker()
    private val db = TrackingDb(support, tracker)
    private val converters = SyncConverters()
    private val contacts = Contacts()
    private val accounts = Accounts()
    private val sync = Sync()

    override val openHelper: SupportSQLiteOpenHelper =
        object : SupportSQLiteOpenHelper {
            override val writableDatabase: SupportSQLiteDatabase = db
        }

    override val invalidationTracker: InvalidationTracker = tracker

    override fun contactDao(): ContactDao = contacts

    override fun syncDao(): SyncDao = sync

    override fun accountDao(): AccountDao = accounts

    override fun lineItemDao(): LineItemDao = throw UnsupportedOperationException("line items are not in this test double")

    /** Tables written since the last refresh; observers of those tables are told, Flow queries re-run. */
    private class Tracker : InvalidationTracker() {
        val version = MutableStateFlow(0L)
        private val observers = CopyOnWriteArrayList<Observer>()
        private val changed = mutableSetOf<String>()

        @Synchronized
        fun wrote(table: String) {
            changed += table
        }

        override fun addObserver(observer: Observer) {
            observers += observer
        }

        override fun removeObserver(observer: Observer) {
            observers -= observer
        }

        override fun refreshVersionsAsync() {
            val tables =
                synchronized(this) {
                    changed.toSet().also { changed.clear() }
                }
            if (tables.isEmpty()) return
            version.value += 1
            observers.forEach { o -> if (o.tables.any { it in tables }) o.onInvalidated(tables) }
        }
    }

    /** Records the tables each statement writes (INSERT / UPDATE / DELETE / REPLACE) for the tracker. */
    private class TrackingDb(
        private val inner: SupportSQLiteDatabase,
        private val tracker: Tracker,
    ) : SupportSQLiteDatabase by inner {
        private val written = Regex("""^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w]+)"?""", RegexOption.IGNORE_CASE)

        private fun track(sql: String) {
            written.find(sql)?.let { tracker.wrote(it.groupValues[1]) }
        }

        override fun execSQL(sql: String) {
            inner.execSQL(sql)
            track(sql)
        }

        override fun execSQL(
            sql: String,
            bindArgs: Array<out Any?>,
        ) {
            inner.execSQL(sql, bindArgs)
            track(sql)
        }
    }

    // ---- what Room generates, done by reflection --------------------------------------------

    private fun sqlOf(
        dao: Class<*>,
        method: String,
    ): String {
        val m: Method =
            dao.declaredMethods.firstOrNull { it.name == method && it.getAnnotation(Query::class.java) != null }
                ?: error("${dao.simpleName}.$method has no @Query")
        return m.getAnnotation(Query::class.java).value
    }

    /** `:name` parameters → `?` with their values in order. */
    private fun bind(
        sql: String,
        args: Map<String, Any?>,
    ): Pair<String, Array<Any?>> {
        val values = mutableListOf<Any?>()
        val text =
            Regex(""":(\w+)""").replace(sql) { m ->
                val name = m.groupValues[1]
                require(name in args) { "no value for :$name in $sql" }
                values += args[name].let { if (it is Boolean) (if (it) 1L else 0L) else it }
                "?"
            }
        return text to values.toTypedArray()
    }

    private suspend fun <T> onDb(block: () -> T): T = withContext(dispatcher) { block() }

    private fun <T> rows(
        sql: String,
        args: Map<String, Any?>,
        type: Class<T>,
    ): List<T> {
        val (text, values) = bind(sql, args)
        return db.query(text, values).use { cursor -> generateSequence { if (cursor.moveToNext()) read(cursor, type) else null }.toList() }
    }

    private fun column(
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

    private fun <T> constructorOf(type: Class<T>): Constructor<T> {
        @Suppress("UNCHECKED_CAST")
        return type.declaredConstructors.first { c ->
            c.parameterCount > 0 && c.parameterAnnotations.all { a -> a.any { it is ColumnInfo } }
        } as Constructor<T>
    }

    private fun columnsOf(c: Constructor<*>): List<String> = c.parameterAnnotations.map { a -> a.filterIsInstance<ColumnInfo>().single().name }

    /** A result row as [type], each constructor parameter from its `@ColumnInfo` column, converted like Room does. */
    private fun <T> read(
        cursor: Cursor,
        type: Class<T>,
    ): T {
        if (type == String::class.java) {
            @Suppress("UNCHECKED_CAST")
            return column(cursor, 0)?.toString() as T
        }
        val ctor = constructorOf(type)
        val args =
            columnsOf(ctor).mapIndexed { i, name ->
                val index = cursor.getColumnIndex(name)
                require(index >= 0) { "${type.simpleName}: no column $name in the result" }
                convert(column(cursor, index), ctor.parameterTypes[i], ctor.genericParameterTypes[i])
            }
        return ctor.newInstance(*args.toTypedArray())
    }

    private val typeConverters: List<Method> = SyncConverters::class.java.methods.filter { it.getAnnotation(TypeConverter::class.java) != null }

    private fun convert(
        value: Any?,
        raw: Class<*>,
        generic: java.lang.reflect.Type,
    ): Any? =
        when {
            raw == String::class.java -> {
                value?.toString()
            }

            raw == java.lang.Boolean.TYPE || raw == java.lang.Boolean::class.java -> {
                value?.let { (it as Number).toLong() != 0L }
            }

            raw == java.lang.Long.TYPE || raw == java.lang.Long::class.java -> {
                value?.let { (it as Number).toLong() }
            }

            raw == java.lang.Integer.TYPE || raw == java.lang.Integer::class.java -> {
                value?.let { (it as Number).toInt() }
            }

            raw == java.lang.Double.TYPE || raw == java.lang.Double::class.java -> {
                value?.let { (it as Number).toDouble() }
            }

            else -> {
                val converter =
                    typeConverters.firstOrNull { it.genericReturnType == generic }
                        ?: typeConverters.firstOrNull { it.returnType == raw }
                        ?: error("no @TypeConverter to $generic")
                converter.invoke(converters, value?.toString())
            }
        }

    /** Writes an `@Entity` row (INSERT, or INSERT OR REPLACE for an upsert); an auto-generated key left at 0 is assigned. */
    private fun write(
        entity: Any,
        replace: Boolean,
    ) {
        val type = entity.javaClass
        val table = type.getAnnotation(Entity::class.java).tableName
        val ctor = constructorOf(type)
        val names = columnsOf(ctor)
        val cols = mutableListOf<String>()
        val values = mutableListOf<Any?>()
        names.forEachIndexed { i, name ->
            val value = type.getMethod("component${i + 1}").invoke(entity)
            val auto = ctor.parameterAnnotations[i].filterIsInstance<PrimaryKey>().any { it.autoGenerate }
            if (auto && (value as? Number)?.toLong() == 0L) return@forEachIndexed
            cols += "\"$name\""
            values +=
                when (value) {
                    is Boolean -> if (value) 1L else 0L
                    is Int -> value.toLong()
                    else -> value
                }
        }
        val verb = if (replace) "INSERT OR REPLACE" else "INSERT"
        db.execSQL("$verb INTO \"$table\" (${cols.joinToString(", ")}) VALUES (${cols.joinToString(", ") { "?" }})", values.toTypedArray())
    }

    /** One statement outside a transaction, then the tracker's refresh (Room's auto-commit write). */
    private suspend fun writeNow(block: () -> Unit) =
        onDb {
            block()
            tracker.refreshVersionsAsync()
        }

    /** A `@Transaction` method: one transaction on the database thread, then the tracker's refresh. */
    private suspend fun <T> transaction(block: suspend () -> T): T =
        withContext(dispatcher) {
            db.beginTransaction()
            val result =
                try {
                    block().also { db.setTransactionSuccessful() }
                } finally {
                    db.endTransaction()
                }
            tracker.refreshVersionsAsync()
            result
        }

    /** A Flow query: runs now and after every committed change, on the database thread. */
    private fun <T> observe(run: () -> T): Flow<T> =
        tracker.version
            .map { run() }
            .flowOn(dispatcher)
            .conflate()

    private inner class Contacts : ContactDao() {
        private val dao = ContactDao::class.java

        override fun observeAll(): Flow<List<ContactRow>> = sqlOf(dao, "observeAll").let { sql -> observe { rows(sql, emptyMap(), ContactRow::class.java) } }

        override fun observe(id: String): Flow<ContactRow?> = sqlOf(dao, "observe").let { sql -> observe { rows(sql, mapOf("id" to id), ContactRow::class.java).firstOrNull() } }

        override suspend fun viewRow(id: String): ContactRow? = onDb { rows(sqlOf(dao, "viewRow"), mapOf("id" to id), ContactRow::class.java).firstOrNull() }

        override suspend fun localRow(id: String): ContactLocalRow? = onDb { rows(sqlOf(dao, "localRow"), mapOf("id" to id), ContactLocalRow::class.java).firstOrNull() }

        override suspend fun upsertLocal(row: ContactLocalRow) = writeNow { write(row, replace = true) }

        override suspend fun insertOutbox(row: SyncOutboxRow) = writeNow { write(row, replace = false) }

        override suspend fun insert(
            values: JsonObject,
            writeId: String,
            now: Long,
        ): JsonPrimitive = transaction { super.insert(values, writeId, now) }

        override suspend fun update(
            pk: JsonPrimitive,
            values: JsonObject,
            writeId: String,
            now: Long,
        ): Boolean = transaction { super.update(pk, values, writeId, now) }

        override suspend fun delete(
            pk: JsonPrimitive,
            writeId: String,
            now: Long,
        ) = transaction { super.delete(pk, writeId, now) }
    }

    private inner class Accounts : AccountDao() {
        private val dao = AccountDao::class.java

        override fun observeAll(): Flow<List<AccountRow>> = sqlOf(dao, "observeAll").let { sql -> observe { rows(sql, emptyMap(), AccountRow::class.java) } }

        override fun observe(id: String): Flow<AccountRow?> = sqlOf(dao, "observe").let { sql -> observe { rows(sql, mapOf("id" to id), AccountRow::class.java).firstOrNull() } }

        override suspend fun viewRow(id: String): AccountRow? = onDb { rows(sqlOf(dao, "viewRow"), mapOf("id" to id), AccountRow::class.java).firstOrNull() }

        override suspend fun localRow(id: String): AccountLocalRow? = onDb { rows(sqlOf(dao, "localRow"), mapOf("id" to id), AccountLocalRow::class.java).firstOrNull() }

        override suspend fun upsertLocal(row: AccountLocalRow) = writeNow { write(row, replace = true) }

        override suspend fun insertOutbox(row: SyncOutboxRow) = writeNow { write(row, replace = false) }

        override suspend fun insert(
            values: JsonObject,
            writeId: String,
            now: Long,
        ): JsonPrimitive = transaction { super.insert(values, writeId, now) }

        override suspend fun update(
            pk: JsonPrimitive,
            values: JsonObject,
            writeId: String,
            now: Long,
        ): Boolean = transaction { super.update(pk, values, writeId, now) }

        override suspend fun delete(
            pk: JsonPrimitive,
            writeId: String,
            now: Long,
        ) = transaction { super.delete(pk, writeId, now) }
    }

    private inner class Sync : SyncDao() {
        // The queries are declared (with their @Query) on the runtime's base class.
        private val dao = SyncTablesDao::class.java

        override fun observePending(): Flow<List<SyncOutboxRow>> = sqlOf(dao, "observePending").let { sql -> observe { rows(sql, emptyMap(), SyncOutboxRow::class.java) } }

        override suspend fun retryNow(now: Long) =
            writeNow {
                val (sql, args) = bind(sqlOf(dao, "retryNow"), mapOf("now" to now))
                db.execSQL(sql, args)
            }

        override fun observeFailedKeys(table: String): Flow<List<String>> = sqlOf(dao, "observeFailedKeys").let { sql -> observe { rows(sql, mapOf("table" to table), String::class.java) } }

        override suspend fun shape(shapeKey: String): SyncShapeRow? = onDb { rows(sqlOf(dao, "shape"), mapOf("shapeKey" to shapeKey), SyncShapeRow::class.java).firstOrNull() }

        override suspend fun saveShape(row: SyncShapeRow) = writeNow { write(row, replace = true) }

        override suspend fun markSeen(rows: List<SyncSeenTxidRow>) = writeNow { rows.forEach { write(it, replace = true) } }

        override suspend fun pruneSeen() = writeNow { db.execSQL(sqlOf(dao, "pruneSeen")) }
    }
}
