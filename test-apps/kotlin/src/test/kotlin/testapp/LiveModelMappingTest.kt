package testapp

import com.example.crm.data.ContactRow
import com.example.crm.data.ContactTable
import com.example.crm.data.SyncConverters
import com.example.crm.model.Contact
import com.example.crm.model.ContactStatus
import io.syncpatterns.runtime.sync.LocalRecord
import io.syncpatterns.runtime.sync.LocalTableAccess
import io.syncpatterns.runtime.sync.LocalWrites
import io.syncpatterns.runtime.sync.OutboxEntry
import io.syncpatterns.runtime.sync.RowState
import io.syncpatterns.runtime.sync.Synced
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.math.BigDecimal

/**
 * Live rows as models (issue #12, one interface), on the crm golden: the Room converters read the
 * wire-form column text, `toModel()` builds the same `Contact` push mode returns, `viewToJson`
 * writes typed values back in wire form, and a pending insert invents nothing: server-set fields
 * stay null until the server's row arrives, an omitted client field shows the spec's default.
 */
class LiveModelMappingTest {
    private val converters = SyncConverters()

    private fun row(
        firstName: String? = "Ada",
        status: ContactStatus? = ContactStatus.ACTIVE,
        tags: List<String>? = listOf("vip"),
        createdAt: String? = "2024-05-01T10:00:00Z",
    ) = ContactRow(
        id = "c1",
        firstName = firstName,
        lastName = null,
        email = "ada@example.com",
        phone = null,
        status = status,
        accountId = null,
        tags = tags,
        notes = "draft",
        createdAt = createdAt,
        updatedAt = "2024-05-01T10:00:00Z",
        pending = true,
    )

    @Test
    fun `converters read enums with their fallback, decimals and JSON columns`() {
        assertEquals(ContactStatus.ACTIVE, converters.toContactStatus("active"))
        assertEquals(ContactStatus.UNKNOWN, converters.toContactStatus("prospect"))
        assertNull(converters.toContactStatus(null))
        assertEquals(BigDecimal("12.50"), converters.toDecimal("12.50"))
        assertEquals(listOf("a", "b"), converters.toListOfString("""["a","b"]"""))
        assertEquals(JsonPrimitive(1), converters.toMapOfStringJsonElement("""{"n":1}""")!!["n"])
    }

    @Test
    fun `a view row maps to the model push mode returns`() {
        val model = row().toModel()
        assertEquals(
            Contact(
                id = "c1",
                firstName = "Ada",
                lastName = null,
                email = "ada@example.com",
                phone = null,
                status = ContactStatus.ACTIVE,
                accountId = null,
                tags = listOf("vip"),
                notes = "draft",
                createdAt = "2024-05-01T10:00:00Z",
                updatedAt = "2024-05-01T10:00:00Z",
            ),
            model,
        )
        // Server-set: null until the server has stored the row, never a stand-in value.
        assertNull(row(createdAt = null).toModel().createdAt)
        // Client fields the create may omit: the spec's default, what the server stores.
        assertEquals(ContactStatus.LEAD, row(status = null).toModel().status)
        assertEquals(emptyList<String>(), row(tags = null).toModel().tags)
        // Any other NULL where the model requires a value: an error naming the column.
        val error = assertThrows(IllegalStateException::class.java) { row(firstName = null).toModel() }
        assertTrue(error.message!!.contains("first_name"), error.message)
        assertEquals(RowState.PENDING, Synced(model, Synced.stateOf(pending = true, failed = true)).state)
        assertEquals(RowState.FAILED, Synced.stateOf(pending = false, failed = true))
    }

    @Test
    fun `viewToJson writes typed columns in wire form, leaving an UNKNOWN enum out`() {
        val json = ContactTable.viewToJson(row())
        assertEquals(JsonPrimitive("active"), json["status"])
        assertEquals(JsonArray(listOf(JsonPrimitive("vip"))), json["tags"])
        assertFalse("status" in ContactTable.viewToJson(row(status = ContactStatus.UNKNOWN)))
    }

    private class Memory : LocalTableAccess {
        val local = mutableMapOf<String, LocalRecord>()
        val outbox = mutableListOf<OutboxEntry>()

        override suspend fun readLocal(pk: JsonPrimitive) = local[pk.content]

        override suspend fun writeLocal(record: LocalRecord) {
            local[record.pk.content] = record
        }

        override suspend fun readView(pk: JsonPrimitive): JsonObject? = local[pk.content]?.values

        override suspend fun appendOutbox(entry: OutboxEntry) {
            outbox += entry
        }
    }

    @Test
    fun `a pending insert stores only what the client gave, nothing for server-set or defaulted fields`() =
        runBlocking {
            val db = Memory()
            val given =
                buildJsonObject {
                    put("first_name", "Ada")
                    put("email", "ada@example.com")
                }
            val pk = LocalWrites.insert(ContactTable, db, given, "w1", 0L)
            val record = db.local.getValue(pk.content)
            for (column in listOf("created_at", "updated_at", "status", "tags")) {
                assertTrue(record.values[column].let { it == null || it is JsonNull }, "$column: ${record.values[column]}")
            }
            assertEquals(listOf("first_name", "email"), record.changed)
            val payload = db.outbox.single().payload
            assertFalse("created_at" in payload, payload)
            assertFalse("status" in payload, payload)
        }
}
