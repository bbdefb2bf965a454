package testapp

import e2e.crm.api.ApiClient
import e2e.crm.data.AccountsRepository
import e2e.crm.data.LiveSync
import e2e.crm.data.SyncDatabase
import e2e.crm.model.AccountCreate
import e2e.crm.model.AccountUpdate
import io.syncpatterns.runtime.engine.SyncConfig
import io.syncpatterns.runtime.http.ApiException
import io.syncpatterns.runtime.sync.BackoffPolicy
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test
import java.net.URI
import java.net.http.HttpClient
import java.sql.Connection
import java.util.UUID
import java.util.concurrent.Executors
import java.net.http.HttpRequest as JdkRequest
import java.net.http.HttpResponse as JdkResponse

/**
 * Confirmed writes (`local_first: false`) through the generated live repository (issue #12): the
 * crm `AccountsRepository` as the CLI generates it, over [JdbcRoomDatabase] (a TEST DOUBLE of
 * Room's generated DAOs) and the runtime's engine, against a real `sync-patterns dev`. Its
 * `create`/`update` return the SERVER's row (its server-set fields, which the pending local row lacks),
 * a refused write throws the API error after its rollback, and `delete` returns once the server
 * has deleted the row, as push mode's calls do.
 */
class ConfirmedRepositoryTest {
    private val baseUrl: String =
        System.getProperty("sync.devServer")
            ?: error("system property sync.devServer is not set: run test-apps/kotlin/run-tests.sh")
    private val tag = UUID.randomUUID().toString().take(8)
    private val token = "kotlin-confirmed-$tag"
    private val dbThread = Executors.newSingleThreadExecutor { r -> Thread(r, "sqlite-test").apply { isDaemon = true } }.asCoroutineDispatcher()
    private val scope = CoroutineScope(SupervisorJob() + kotlinx.coroutines.Dispatchers.Default)
    private val connection: Connection = memoryDb()

    @AfterEach
    fun tearDown() {
        scope.cancel()
        dbThread.close()
        connection.close()
    }

    private fun serverAccount(id: String): Pair<Int, String> {
        val request =
            JdkRequest
                .newBuilder(URI("$baseUrl/accounts/$id"))
                .header("Authorization", "Bearer $token")
                .GET()
                .build()
        val response = HttpClient.newHttpClient().send(request, JdkResponse.BodyHandlers.ofString())
        return response.statusCode() to response.body()
    }

    @Test
    fun `confirmed create and update return the server's row, a refusal throws after its rollback, delete waits for the server`() =
        runBlocking {
            SHARED_DDL.forEach { connection.exec(it) }
            SyncDatabase.LIVE_TABLES.forEach { t ->
                connection.exec(t.createSynced)
                connection.exec(t.createLocal)
                connection.exec(t.createView)
            }
            val db = JdbcRoomDatabase(JdbcSupportDb(connection), dbThread)
            val config =
                SyncConfig(
                    pollMs = 100,
                    probeMs = 200,
                    backoff = BackoffPolicy(baseMs = 100, maxMs = 1_000),
                    shapeRetry = BackoffPolicy(baseMs = 100, maxMs = 500),
                    dispatcher = dbThread,
                )
            val sync = LiveSync.engine(db, ApiClient(baseUrl, tokenProvider = { token }), scope, config)
            val accounts = AccountsRepository(db.accountDao(), db.syncDao(), sync)
            sync.start()

            val created = withTimeout(20_000) { accounts.create(AccountCreate(name = "Acme $tag", ownerEmail = "owner-$tag@example.com")) }
            val (status, body) = serverAccount(created.id)
            assertEquals(200, status, body)
            val server = Json.parseToJsonElement(body).jsonObject
            // The server's row, not the pending local one (whose created_at is null until the server stores it).
            assertNotNull(created.createdAt)
            assertEquals(server["created_at"]?.jsonPrimitive?.content, created.createdAt)
            assertEquals("Acme $tag", created.name)

            val updated = withTimeout(20_000) { accounts.update(created.id, AccountUpdate(name = "Acme $tag (renamed)")) }
            assertEquals("Acme $tag (renamed)", updated.name)
            assertEquals(
                Json
                    .parseToJsonElement(serverAccount(created.id).second)
                    .jsonObject["updated_at"]
                    ?.jsonPrimitive
                    ?.content,
                updated.updatedAt,
            )

            val refused =
                try {
                    withTimeout(20_000) { accounts.create(AccountCreate(name = "Refused $tag", ownerEmail = "not an email")) }
                    fail("a refused confirmed create returned instead of throwing")
                } catch (e: ApiException) {
                    e
                }
            assertEquals(422, refused.status)
            // Rolled back before it threw: not in the view.
            assertTrue(accounts.observeAll().first().none { it.name == "Refused $tag" })

            withTimeout(20_000) { accounts.delete(created.id) }
            assertEquals(404, serverAccount(created.id).first)
            sync.stop()
        }
}
