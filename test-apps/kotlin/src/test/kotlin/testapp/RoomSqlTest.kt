package testapp

import androidx.room.Query
import io.syncpatterns.runtime.sync.LiveTable
import io.syncpatterns.runtime.sync.SchemaUpgrade
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.sql.Connection

/**
 * Runs the generated live-mode SQL in real SQLite for every fixture with live entities: the DDL
 * and view of each table, EVERY `@Query` of every generated DAO (found by reflection, prepared and
 * executed), the contract's view semantics and the §6 schema upgrade through the generated Room glue.
 */
class RoomSqlTest {
    private val packages = listOf("crm", "todo", "petstore30", "fastapi", "multifile", "badnames")

    private fun database(pkg: String): Class<*> = Class.forName("com.example.$pkg.data.SyncDatabase")

    @Suppress("UNCHECKED_CAST")
    private fun liveTables(pkg: String): List<LiveTable> {
        val companion = database(pkg).getField("Companion").get(null)
        return companion.javaClass.getMethod("getLIVE_TABLES").invoke(companion) as List<LiveTable>
    }

    private fun schema(pkg: String): Connection {
        val c = memoryDb()
        SHARED_DDL.forEach { c.exec(it) }
        liveTables(pkg).forEach { t -> listOf(t.createSynced, t.createLocal, t.createView).forEach { c.exec(it) } }
        return c
    }

    @TestFactory
    fun `every @Query of every generated DAO prepares and runs`(): List<DynamicTest> =
        packages.flatMap { pkg ->
            val daos = database(pkg).declaredMethods.map { it.returnType }.filter { it.simpleName.endsWith("Dao") }
            daos.flatMap { dao ->
                // `methods`, not `declaredMethods`: the app's SyncDao inherits its queries from the runtime's SyncTablesDao.
                dao.methods
                    .mapNotNull { m ->
                        m.getAnnotation(Query::class.java)?.let { m.name to it.value }
                    }.distinct()
                    .map { (name, sql) ->
                        DynamicTest.dynamicTest("$pkg ${dao.simpleName}.$name") {
                            schema(pkg).use { c ->
                                val params = Regex(":[A-Za-z_][A-Za-z0-9_]*").findAll(sql).count()
                                c.prepareStatement(sql.replace(Regex(":[A-Za-z_][A-Za-z0-9_]*"), "?")).use { st ->
                                    repeat(params) { st.setObject(it + 1, 1) }
                                    st.execute()
                                }
                            }
                        }
                    }
            }
        }

    @Test
    fun `every fixture has DAO queries to check`() {
        packages.forEach { pkg -> assertTrue(liveTables(pkg).isNotEmpty(), pkg) }
    }

    @Test
    fun `the view merges synced rows with local overrides, hides local deletes and rows neither synced nor pending insert`() {
        schema("crm").use { c ->
            val ins = "INSERT INTO \"contacts_synced\" (\"id\", \"first_name\", \"last_name\", \"email\", \"status\", \"tags\", \"created_at\", \"updated_at\") VALUES (?, ?, 'L', 'e', 'lead', '[]', 't', 't')"
            c.exec(ins, "a", "Ada")
            c.exec(ins, "b", "Bob")
            c.exec(ins, "c", "Cy")
            val local = "INSERT INTO \"contacts_local\" (\"id\", \"first_name\", \"last_name\", \"notes\", \"_changed\", \"_deleted\", \"_write_id\") VALUES (?, ?, ?, ?, ?, ?, ?)"
            c.exec(local, "a", "Ada2", "ignored", "draft", "[\"first_name\"]", 0, "w1")
            c.exec(local, "b", null, null, null, "[]", 1, "w2")
            c.exec(local, "n", "New", null, null, "[\"first_name\"]", 0, "w3")
            c.exec(local, "c", null, null, "only local", "[]", 0, null)
            // Contract §1 (#11): an unsynced key shows only with a pending insert that has not failed.
            c.exec(local, "g", "Ghost", null, "left behind", "[\"first_name\"]", 0, null)
            c.exec(local, "f", "Refused", null, null, "[\"first_name\"]", 0, "w4")
            val outbox =
                "INSERT INTO \"_sync_outbox\" (\"write_id\", \"table_name\", \"op\", \"pk\", \"payload\", \"status\", \"attempts\", \"next_attempt_at\", \"confirmed\", \"created_at\") VALUES (?, 'contacts', 'insert', ?, '{}', ?, 0, 0, 0, 0)"
            c.exec(outbox, "w3", "n", "pending")
            c.exec(outbox, "w4", "f", "failed")
            val rows = c.rows("SELECT * FROM \"contacts\" ORDER BY \"id\"").associateBy { it["id"] }
            assertEquals(setOf("a", "c", "n"), rows.keys)
            assertEquals("Ada2", rows.getValue("a")["first_name"])
            assertEquals("L", rows.getValue("a")["last_name"])
            assertEquals("draft", rows.getValue("a")["notes"])
            assertEquals(1, rows.getValue("a")["_pending"])
            assertEquals(0, rows.getValue("c")["_pending"])
            assertEquals("only local", rows.getValue("c")["notes"])
            assertEquals("Cy", rows.getValue("c")["first_name"])
            assertEquals("New", rows.getValue("n")["first_name"])
        }
    }

    @Test
    fun `schema upgrade rebuilds changed tables, keeps local columns and the outbox`() {
        schema("crm").use { c ->
            val support = JdbcSupportDb(c)
            val callbackField = database("crm").getField("Companion").get(null)
            val callback = callbackField.javaClass.getMethod("getCALLBACK").invoke(callbackField) as androidx.room.RoomDatabase.Callback
            callback.onCreate(support)
            assertEquals(3, c.rows("SELECT * FROM \"_sync_meta\"").size)
            c.exec(
                "INSERT INTO \"contacts_synced\" (\"id\", \"first_name\", \"email\", \"status\", \"tags\", \"created_at\", \"updated_at\") VALUES ('a', 'A', 'e', 'lead', '[]', 't', 't')",
            )
            c.exec("INSERT INTO \"contacts_local\" (\"id\", \"notes\", \"_changed\", \"_deleted\") VALUES ('a', 'keep me', '[]', 0)")
            c.exec(
                "INSERT INTO \"_sync_outbox\" (\"write_id\", \"table_name\", \"op\", \"pk\", \"payload\", \"status\", \"attempts\", \"next_attempt_at\", \"confirmed\", \"created_at\") VALUES ('w', 'contacts', 'insert', 'a', '{}', 'pending', 0, 0, 0, 0)",
            )
            c.exec("INSERT INTO \"_sync_shapes\" VALUES ('contacts', 'h', '0_0', 'x', 0)")
            c.exec("UPDATE \"_sync_meta\" SET \"value\" = 'old' WHERE \"key\" = 'schema_hash:contacts'")
            val rebuilt = SchemaUpgrade.upgrade(JdbcExecutor(c), liveTables("crm"))
            assertEquals(listOf("contacts"), rebuilt)
            assertEquals(0, c.rows("SELECT * FROM \"contacts_synced\"").size)
            assertEquals(0, c.rows("SELECT * FROM \"_sync_shapes\"").size)
            assertEquals("keep me", c.rows("SELECT \"notes\" FROM \"contacts\"").single()["notes"])
            assertEquals(1, c.rows("SELECT * FROM \"_sync_outbox\"").size)
            assertEquals(emptyList<String>(), SchemaUpgrade.upgrade(JdbcExecutor(c), liveTables("crm")))
        }
    }

    @Test
    fun `schema upgrade recreates a stale view of an unchanged table and keeps its rows`() {
        schema("crm").use { c ->
            val support = JdbcSupportDb(c)
            val callbackField = database("crm").getField("Companion").get(null)
            val callback = callbackField.javaClass.getMethod("getCALLBACK").invoke(callbackField) as androidx.room.RoomDatabase.Callback
            callback.onCreate(support)
            c.exec(
                "INSERT INTO \"contacts_synced\" (\"id\", \"first_name\", \"email\", \"status\", \"tags\", \"created_at\", \"updated_at\") VALUES ('a', 'A', 'e', 'lead', '[]', 't', 't')",
            )
            // An install made with an older view definition (e.g. before the #11 visibility rule).
            c.exec("DROP VIEW \"contacts\"")
            c.exec("CREATE VIEW \"contacts\" AS SELECT 'stale' AS \"old_column\"")
            assertEquals(emptyList<String>(), SchemaUpgrade.upgrade(JdbcExecutor(c), liveTables("crm")))
            val rows = c.rows("SELECT * FROM \"contacts\"")
            assertEquals("A", rows.single()["first_name"])
            assertEquals(false, rows.single().containsKey("old_column"))
        }
    }
}
