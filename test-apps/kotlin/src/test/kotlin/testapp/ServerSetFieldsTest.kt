package testapp

import e2e.crm.api.ApiClient
import e2e.crm.data.ContactsRepository
import e2e.crm.data.LiveSync
import e2e.crm.data.SyncDatabase
import e2e.crm.model.ContactCreate
import e2e.crm.model.ContactStatus
import io.syncpatterns.runtime.engine.SyncConfig
import io.syncpatterns.runtime.sync.BackoffPolicy
import io.syncpatterns.runtime.sync.RowState
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import java.sql.Connection
import java.time.Instant
import java.time.OffsetDateTime
import java.util.UUID
import java.util.concurrent.Executors

/**
 * No invented values for server-set fields (issue #12; Swift does the same, #19): an optimistic
 * create through the crm `ContactsRepository` as the CLI generates it, over [JdbcRoomDatabase] (a
 * TEST DOUBLE of Room's generated DAOs) and the runtime's engine, against a real
 * `sync-patterns dev`. While the row is pending, `createdAt` and `updatedAt` are null (the model
 * declares them `IsoDateTime?`), an omitted client field shows the spec's default; once the shape
 * brings the server's row, the model shows the server's values.
 */
class ServerSetFieldsTest {
    private val baseUrl: String =
        System.getProperty("sync.devServer")
            ?: error("system property sync.devServer is not set: run test-apps/kotlin/run-tests.sh")
    private val tag = UUID.randomUUID().toString().take(8)
    private val token = "kotlin-server-set-$tag"
    private val dbThread = Executors.newSingleThreadExecutor { r -> Thread(r, "sqlite-test").apply { isDaemon = true } }.asCoroutineDispatcher()
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val connection: Connection = memoryDb()

    @AfterEach
    fun tearDown() {
        scope.cancel()
        dbThread.close()
        connection.close()
    }

    @Test
    fun `an optimistic create shows null server-set fields until the shape brings the server's values`() =
        runBlocking {
            SHARED_DDL.forEach { connection.exec(it) }
            SyncDatabase.LIVE_TABLES.forEach { t ->
                connection.exec(t.createSynced)
                connection.exec(t.createLocal)
                connection.exec(t.createView)
            }
            SyncDatabase.CALLBACK.onCreate(JdbcSupportDb(connection))
            val db = JdbcRoomDatabase(JdbcSupportDb(connection), dbThread)
            val api = ApiClient(baseUrl, tokenProvider = { token })
            val config =
                SyncConfig(
                    pollMs = 100,
                    probeMs = 200,
                    backoff = BackoffPolicy(baseMs = 100, maxMs = 1_000),
                    shapeRetry = BackoffPolicy(baseMs = 100, maxMs = 500),
                    dispatcher = dbThread,
                )
            val sync = LiveSync.engine(db, api, scope, config)
            val contacts = ContactsRepository(db.contactDao(), db.syncDao(), wakeOutbox = sync::notifyLocalWrite)

            // Not started yet: the create stays pending, as it would offline.
            val created = contacts.create(ContactCreate(firstName = "Ada $tag", email = "ada-$tag@example.com"))
            assertNull(created.createdAt, "created_at of a row the server has not stored")
            assertNull(created.updatedAt, "updated_at of a row the server has not stored")
            // Omitted client fields show the spec's default (what the server stores), not a guess.
            assertEquals(ContactStatus.LEAD, created.status)
            assertEquals(emptyList<String>(), created.tags)
            val pending = contacts.observeAllWithState().first().single { it.value.id == created.id }
            assertEquals(RowState.PENDING, pending.state)
            assertNull(pending.value.createdAt)

            sync.start()
            val synced = withTimeout(20_000) { contacts.observe(created.id).first { it?.createdAt != null } }!!
            val server = api.contacts.getContact(created.id)
            // The shape carries Postgres' text of the same instant the API sends as ISO-8601.
            assertEquals(instant(server.createdAt!!), instant(synced.createdAt!!))
            assertEquals(instant(server.updatedAt!!), instant(synced.updatedAt!!))
            assertEquals(server.copy(createdAt = synced.createdAt, updatedAt = synced.updatedAt), synced)
            assertEquals(ContactStatus.LEAD, synced.status)
            sync.stop()
        }

    /** `2024-05-01T10:00:00Z` or Postgres' `2024-05-01 10:00:00+00` as an instant. */
    private fun instant(text: String): Instant = OffsetDateTime.parse(text.trim().replace(' ', 'T').replace(Regex("([+-]\\d{2})$"), "$1:00")).toInstant()
}
