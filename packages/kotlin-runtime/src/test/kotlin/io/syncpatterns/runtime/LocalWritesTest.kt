package io.syncpatterns.runtime

import io.syncpatterns.runtime.sync.ColumnSpec
import io.syncpatterns.runtime.sync.LiveTable
import io.syncpatterns.runtime.sync.LocalRecord
import io.syncpatterns.runtime.sync.LocalTableAccess
import io.syncpatterns.runtime.sync.LocalWrites
import io.syncpatterns.runtime.sync.OutboxEntry
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Contract §1 write flow over an in-memory database (the view is computed like the SQL view). */
class LocalWritesTest {
    private object Notes : LiveTable {
        override val table = "notes"
        override val primaryKey = "id"
        override val primaryKeyStorage = "uuid"
        override val columns =
            listOf(
                ColumnSpec("id", "uuid", false, true),
                ColumnSpec("title", "text", false, true),
                ColumnSpec("body", "text", true, true),
                ColumnSpec("draft", "text", true, false),
            )
        override val confirmed = false
        override val schemaHash = "h"
        override val createSynced = ""
        override val createLocal = ""
        override val createView = ""
    }

    private class Memory : LocalTableAccess {
        val synced = mutableMapOf<String, JsonObject>()
        val local = mutableMapOf<String, LocalRecord>()
        val outbox = mutableListOf<OutboxEntry>()

        override suspend fun readLocal(pk: JsonPrimitive) = local[pk.content]

        override suspend fun writeLocal(record: LocalRecord) {
            local[record.pk.content] = record
        }

        override suspend fun readView(pk: JsonPrimitive): JsonObject? {
            val s = synced[pk.content]
            val l = local[pk.content]
            if (l?.deleted == true || (s == null && l == null)) return null
            val values =
                Notes.columns.associate { c ->
                    c.name to
                        (if (!c.synced || c.name in l?.changed.orEmpty()) l?.values?.get(c.name) else s?.get(c.name))
                }
            return JsonObject(values.filterValues { it != null }.mapValues { it.value!! } + ("id" to pk))
        }

        override suspend fun appendOutbox(entry: OutboxEntry) {
            outbox += entry
        }
    }

    @Test
    fun `insert stores given synced columns as changed and queues the payload without local-only columns`() =
        runBlocking {
            val db = Memory()
            val pk =
                LocalWrites.insert(
                    Notes,
                    db,
                    buildJsonObject {
                        put("title", "a")
                        put("draft", "secret")
                        put("unknown", 1)
                    },
                    "w1",
                    10,
                )
            val row = db.local.getValue(pk.content)
            assertEquals(listOf("title"), row.changed)
            assertEquals("w1", row.writeId)
            assertEquals(1, db.outbox.size)
            assertEquals("insert", db.outbox[0].op)
            assertEquals("""{"id":"${pk.content}","title":"a"}""", db.outbox[0].payload)
            assertTrue(Regex("[0-9a-f-]{36}").matches(pk.content))
        }

    @Test
    fun `update sends only distinct synced values and keeps local-only edits out of the outbox`() =
        runBlocking {
            val db = Memory()
            db.synced["k"] =
                buildJsonObject {
                    put("id", "k")
                    put("title", "a")
                    put("body", "b")
                }
            val pk = JsonPrimitive("k")
            val sent =
                LocalWrites.update(
                    Notes,
                    db,
                    pk,
                    buildJsonObject {
                        put("title", "a")
                        put("body", "c")
                    },
                    "w2",
                    1,
                )
            assertTrue(sent)
            assertEquals("""{"id":"k","body":"c"}""", db.outbox.single().payload)
            assertEquals(listOf("body"), db.local.getValue("k").changed)
            val localOnly = LocalWrites.update(Notes, db, pk, buildJsonObject { put("draft", "x") }, "w3", 2)
            assertFalse(localOnly)
            assertEquals(1, db.outbox.size)
            assertEquals("w2", db.local.getValue("k").writeId)
        }

    @Test
    fun `delete marks the local row deleted and queues a key-only payload after a pending insert`() =
        runBlocking {
            val db = Memory()
            val pk = LocalWrites.insert(Notes, db, buildJsonObject { put("title", "a") }, "w1", 1)
            LocalWrites.delete(Notes, db, pk, "w2", 2)
            assertEquals(listOf("insert", "delete"), db.outbox.map { it.op })
            assertEquals("""{"id":"${pk.content}"}""", db.outbox[1].payload)
            assertTrue(db.local.getValue(pk.content).deleted)
            assertEquals(null, db.readView(pk))
        }
}
