package testapp

import e2e.crm.data.LiveSync
import e2e.crm.data.SyncDatabase
import io.syncpatterns.runtime.engine.SyncConfig
import io.syncpatterns.runtime.engine.SyncEngine
import io.syncpatterns.runtime.http.ApiCore
import io.syncpatterns.runtime.http.HttpRequest
import io.syncpatterns.runtime.http.HttpResponse
import io.syncpatterns.runtime.http.HttpTransport
import io.syncpatterns.runtime.room.RoomSqlDriver
import io.syncpatterns.runtime.sync.BackoffPolicy
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.future.await
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test
import java.io.File
import java.io.IOException
import java.net.URI
import java.net.http.HttpClient
import java.nio.file.Files
import java.sql.Connection
import java.sql.DriverManager
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList
import java.net.http.HttpRequest as JdkRequest
import java.net.http.HttpResponse as JdkResponse

/**
 * End to end on the JVM (issue #12 part 3): the runtime's [SyncEngine] over the crm fixture's
 * Kotlin as the CLI generates it (`build/e2e-crm`: the generated `LiveSync.TABLES` routes, the
 * generated table SQL and schema-hash callback), its SQL run through the runtime's
 * [RoomSqlDriver] over [JdbcSupportDb] (a TEST DOUBLE of Android's SupportSQLiteDatabase on
 * sqlite-jdbc), against a real `sync-patterns dev` (`-Dsync.devServer`). Every request carries a
 * bearer token. "Offline" is a transport that fails like a dropped network.
 */
class EngineE2ETest {
    private val baseUrl: String =
        System.getProperty("sync.devServer")
            ?: error("system property sync.devServer is not set: run test-apps/kotlin/run-tests.sh")
    private val tag = UUID.randomUUID().toString().take(8)
    private val scopes = mutableListOf<CoroutineScope>()
    private val connections = mutableListOf<Connection>()
    private val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

    @AfterEach
    fun tearDown() {
        scopes.forEach { it.cancel() }
        connections.forEach { it.close() }
    }

    /** java.net.http transport (sends PATCH), with switches to drop the network or hold writes. */
    private inner class Network : HttpTransport {
        @Volatile var offline = false

        /** REST writes fail like a dropped network while shapes keep flowing. */
        @Volatile var writesOffline = false

        /** When set, the next POST reaches the server, then its answer never arrives (the app dies). */
        @Volatile var swallowNextPost: CompletableDeferred<Unit>? = null

        /** When set, the next POST reaches the server ([reached] completes), then its answer waits for [release]. */
        @Volatile var holdNextPostAnswer: Pair<CompletableDeferred<Unit>, CompletableDeferred<Unit>>? = null

        /** When set, shape requests wait for it before they leave (a slow first snapshot). */
        @Volatile var holdShapes: CompletableDeferred<Unit>? = null
        val writes = CopyOnWriteArrayList<Triple<String, String, String?>>()
        val replayed = CopyOnWriteArrayList<String>()
        val shapeUrls = CopyOnWriteArrayList<String>()
        val authorizations = CopyOnWriteArrayList<String?>()

        override suspend fun execute(request: HttpRequest): HttpResponse {
            val isShape = "/v1/shape" in request.url
            if (isShape) holdShapes?.await()
            if (offline || (!isShape && request.method != "GET" && writesOffline)) throw IOException("network down (test)")
            val key = request.headers.firstOrNull { it.first == "Idempotency-Key" }?.second
            authorizations += request.headers.firstOrNull { it.first == "Authorization" }?.second
            if (isShape) {
                shapeUrls += request.url
            } else if (request.method != "GET") {
                writes += Triple(request.method, URI(request.url).path, key)
            }
            val response = send(request)
            if (response.header("idempotent-replayed") == "true" && key != null) replayed += key
            val hold = holdNextPostAnswer
            if (request.method == "POST" && !isShape && hold != null) {
                holdNextPostAnswer = null
                hold.first.complete(Unit)
                hold.second.await()
            }
            val swallow = swallowNextPost
            if (request.method == "POST" && !isShape && swallow != null) {
                swallowNextPost = null
                swallow.complete(Unit)
                CompletableDeferred<Unit>().await()
            }
            return response
        }

        /** Cancellable: a cancelled coroutine (stop(), a cancelled scope) leaves a held long-poll at once. */
        private suspend fun send(request: HttpRequest): HttpResponse {
            val body = request.body?.let { JdkRequest.BodyPublishers.ofByteArray(it) } ?: JdkRequest.BodyPublishers.noBody()
            val builder = JdkRequest.newBuilder(URI(request.url)).method(request.method, body)
            request.headers.forEach { (name, value) -> builder.header(name, value) }
            val response =
                try {
                    http.sendAsync(builder.build(), JdkResponse.BodyHandlers.ofByteArray()).await()
                } catch (e: java.util.concurrent.CompletionException) {
                    throw IOException(e.cause)
                }
            return HttpResponse(response.statusCode(), response.headers().map().mapKeys { it.key.lowercase() }, response.body())
        }
    }

    /** A database as Room would create it on a fresh install: the shared tables, each table's SQL, the generated onCreate callback. */
    private fun database(file: File? = null): Connection {
        val c = DriverManager.getConnection(if (file == null) "jdbc:sqlite::memory:" else "jdbc:sqlite:${file.path}")
        connections += c
        val fresh = c.rows("SELECT name FROM sqlite_master WHERE name = '_sync_outbox'").isEmpty()
        if (fresh) {
            SHARED_DDL.forEach { c.exec(it) }
            SyncDatabase.LIVE_TABLES.forEach { t ->
                c.exec(t.createSynced)
                c.exec(t.createLocal)
                c.exec(t.createView)
            }
            SyncDatabase.CALLBACK.onCreate(JdbcSupportDb(c))
        }
        return c
    }

    private fun engine(
        c: Connection,
        network: Network,
    ): SyncEngine {
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        scopes += scope
        val api = ApiCore(baseUrl, network, tokenProvider = { "kotlin-e2e-$tag" })
        val config =
            SyncConfig(
                pollMs = 100,
                probeMs = 200,
                backoff = BackoffPolicy(baseMs = 100, maxMs = 1_000),
                shapeRetry = BackoffPolicy(baseMs = 100, maxMs = 500),
                liveTimeoutMs = 30_000,
            )
        return SyncEngine(RoomSqlDriver(JdbcSupportDb(c)), LiveSync.TABLES, api, scope, config)
    }

    private suspend fun <T : Any> eventually(
        what: String,
        timeoutMs: Long = 20_000,
        check: suspend () -> T?,
    ): T {
        val deadline = System.currentTimeMillis() + timeoutMs
        var last: Throwable? = null
        while (System.currentTimeMillis() < deadline) {
            try {
                check()?.let { return it }
            } catch (e: AssertionError) {
                last = e
            }
            delay(100)
        }
        return fail("timed out after $timeoutMs ms waiting for: $what${last?.let { " (last: ${it.message})" } ?: ""}")
    }

    private fun get(path: String): Pair<Int, String> {
        val request =
            JdkRequest
                .newBuilder(URI(baseUrl + path))
                .header("Authorization", "Bearer kotlin-e2e-$tag")
                .GET()
                .build()
        val response = http.send(request, JdkResponse.BodyHandlers.ofString())
        return response.statusCode() to response.body()
    }

    private fun serverContact(id: String): JsonObject? {
        val (status, body) = get("/contacts/$id")
        return if (status == 200) Json.parseToJsonElement(body).jsonObject else null
    }

    private fun contact(
        name: String,
        email: String = "$name-$tag@example.com".lowercase(),
    ) = buildJsonObject {
        put("id", UUID.randomUUID().toString())
        put("first_name", name)
        put("email", email)
        put("tags", JsonArray(listOf(JsonPrimitive("e2e"))))
    }

    private fun JsonObject.str(name: String) = this[name]?.jsonPrimitive?.content

    private suspend fun SyncEngine.view(id: String) = viewRows("contacts").firstOrNull { it.str("id") == id }

    private suspend fun SyncEngine.synced(id: String) = syncedRows("contacts").firstOrNull { it.str("id") == id }

    private fun Connection.local(id: String) = rows("SELECT * FROM \"contacts_local\" WHERE \"id\" = ?", id)

    @Test
    fun `create, update and delete round-trip through the outbox and come back on the shape`() =
        runBlocking {
            val c = database()
            val network = Network()
            val sync = engine(c, network)
            sync.start()
            eventually("shapes up to date") {
                sync.syncStatus.value.upToDate
                    .takeIf { it }
            }
            val writes = sync.writes("contacts")
            val body = contact("Ada")
            val id = body.str("id")!!
            writes.insert(body)
            // Local first: in the view at once, pending.
            assertEquals("Ada", sync.view(id)?.str("first_name"))
            eventually("the create reconciled") { (sync.synced(id) != null && sync.outboxRows().isEmpty() && c.local(id).isEmpty()).takeIf { it } }
            assertEquals("Ada", serverContact(id)?.str("first_name"))
            assertEquals("Ada", sync.view(id)?.str("first_name"))

            writes.update(JsonPrimitive(id), buildJsonObject { put("first_name", "Ada L.") })
            assertEquals("Ada L.", sync.view(id)?.str("first_name"))
            eventually("the update reconciled") {
                (sync.synced(id)?.str("first_name") == "Ada L." && sync.outboxRows().isEmpty() && c.local(id).isEmpty()).takeIf { it }
            }
            assertEquals("Ada L.", serverContact(id)?.str("first_name"))

            writes.delete(JsonPrimitive(id))
            assertEquals(null, sync.view(id))
            eventually("the delete reconciled") { (sync.synced(id) == null && sync.outboxRows().isEmpty() && c.local(id).isEmpty()).takeIf { it } }
            assertEquals(null, serverContact(id))
            assertEquals(null, sync.view(id))
            assertEquals(listOf("POST", "PATCH", "DELETE"), network.writes.map { it.first })
            // The token went on writes and shape requests alike.
            assertTrue(network.authorizations.isNotEmpty() && network.authorizations.all { it == "Bearer kotlin-e2e-$tag" }, "${network.authorizations}")
            sync.stop()
        }

    @Test
    fun `a refused write is rolled back, listed with its field errors, and discarded`() =
        runBlocking {
            val c = database()
            val sync = engine(c, Network())
            sync.start()
            val body = contact("Bad", email = "not-an-email-$tag")
            val id = body.str("id")!!
            val (_, writeId) = sync.writes("contacts").insert(body)
            val failed = eventually("the write refused") { sync.failedWrites.first().firstOrNull { it.writeId == writeId } }
            assertEquals(422, failed.status)
            assertEquals("insert", failed.op)
            assertTrue("email" in failed.fieldErrors.keys.joinToString(), "${failed.fieldErrors}")
            assertEquals("not-an-email-$tag", failed.values.str("email"))
            assertEquals(
                writeId,
                sync.syncStatus.value.lastError
                    ?.writeId,
            )
            // Rolled back: not in the view, nothing left in contacts_local; kept as failed in the outbox.
            assertEquals(null, sync.view(id))
            assertTrue(c.local(id).isEmpty())
            assertEquals(listOf("failed"), sync.outboxRows().map { it.row.status })
            assertEquals(null, serverContact(id))
            sync.discard(writeId)
            eventually("discarded") {
                sync.failedWrites
                    .first()
                    .isEmpty()
                    .takeIf { it && c.rows("SELECT * FROM \"_sync_outbox\"").isEmpty() }
            }
            sync.stop()
        }

    @Test
    fun `writes made offline drain in order once the server is back`() =
        runBlocking {
            val c = database()
            val network = Network()
            val sync = engine(c, network)
            sync.start()
            eventually("shapes up to date") {
                sync.syncStatus.value.upToDate
                    .takeIf { it }
            }
            network.offline = true
            val writes = sync.writes("contacts")
            val a = contact("Off1")
            val b = contact("Off2")
            val idA = a.str("id")!!
            val idB = b.str("id")!!
            writes.insert(a)
            writes.update(JsonPrimitive(idA), buildJsonObject { put("last_name", "First") })
            writes.insert(b)
            delay(1_500)
            assertEquals(listOf("pending", "pending", "pending"), sync.outboxRows().map { it.row.status })
            assertEquals(listOf("Off1", "Off2"), listOfNotNull(sync.view(idA), sync.view(idB)).map { it.str("first_name") })
            assertEquals(null, serverContact(idA))
            network.offline = false
            eventually("the three writes reconciled") {
                (sync.outboxRows().isEmpty() && sync.synced(idA)?.str("last_name") == "First" && sync.synced(idB) != null).takeIf { it }
            }
            assertEquals(
                listOf("POST /contacts", "PATCH /contacts/$idA", "POST /contacts"),
                network.writes.map { "${it.first} ${it.second}" },
            )
            assertEquals("First", serverContact(idA)?.str("last_name"))
            assertTrue(c.local(idA).isEmpty() && c.local(idB).isEmpty())
            sync.stop()
        }

    @Test
    fun `a 409 must-refetch keeps pending writes and swaps the new snapshot in`() =
        runBlocking {
            val c = database()
            val network = Network()
            val sync = engine(c, network)
            sync.start()
            val writes = sync.writes("contacts")
            val synced = contact("Kept")
            val keptId = synced.str("id")!!
            writes.insert(synced)
            eventually("a synced row") { (sync.synced(keptId) != null && sync.outboxRows().isEmpty()).takeIf { it } }
            network.writesOffline = true
            val pending = contact("Pending")
            val pendingId = pending.str("id")!!
            writes.insert(pending)
            writes.update(JsonPrimitive(keptId), buildJsonObject { put("first_name", "Kept (edited)") })
            val refetchesBefore = network.shapeUrls.count { "table=contacts" in it && "offset=-1" in it }
            val rotate = JdkRequest.newBuilder(URI("$baseUrl/__dev/rotate-shapes?table=contacts")).POST(JdkRequest.BodyPublishers.noBody()).build()
            assertEquals(200, http.send(rotate, JdkResponse.BodyHandlers.ofString()).statusCode())
            eventually("a refetch from offset -1, then up to date") {
                (network.shapeUrls.count { "table=contacts" in it && "offset=-1" in it } > refetchesBefore && sync.syncStatus.value.upToDate).takeIf { it }
            }
            eventually("the staging table swapped in") { c.rows("SELECT * FROM \"_sync_meta\" WHERE \"key\" = 'refetch:contacts'").isEmpty().takeIf { it } }
            // Pending writes survived the refetch, with their local values over the new snapshot.
            assertEquals(listOf("pending", "pending"), sync.outboxRows().map { it.row.status })
            assertEquals("Pending", sync.view(pendingId)?.str("first_name"))
            assertEquals("Kept (edited)", sync.view(keptId)?.str("first_name"))
            assertEquals("Kept", sync.synced(keptId)?.str("first_name"))
            network.writesOffline = false
            eventually("both writes reconciled") {
                (sync.outboxRows().isEmpty() && sync.synced(pendingId) != null && sync.synced(keptId)?.str("first_name") == "Kept (edited)").takeIf { it }
            }
            sync.stop()
        }

    @Test
    fun `an app restart with a write in flight sends it exactly once`() =
        runBlocking {
            val file = Files.createTempFile("sync-e2e", ".db").toFile().also { it.deleteOnExit() }
            file.delete()
            val network = Network()
            val first = engine(database(file), network)
            first.start()
            val body = contact("Restart")
            val id = body.str("id")!!
            val swallowed = CompletableDeferred<Unit>()
            network.swallowNextPost = swallowed
            val (_, writeId) = first.writes("contacts").insert(body)
            swallowed.await()
            eventually("the row persisted as inflight") {
                first
                    .outboxRows()
                    .singleOrNull()
                    ?.row
                    ?.status
                    ?.takeIf { it == "inflight" }
            }
            // The app dies with the request out: the server has the row, the app never saw the answer.
            scopes.forEach { it.cancel() }
            connections.forEach { it.close() }
            assertEquals("Restart", serverContact(id)?.str("first_name"))

            val second = engine(database(file), network)
            second.start()
            eventually("the write reconciled after the restart") { (second.outboxRows().isEmpty() && second.synced(id) != null).takeIf { it } }
            assertEquals(listOf(writeId, writeId), network.writes.filter { it.first == "POST" }.map { it.third })
            assertEquals(listOf(writeId), network.replayed.toList())
            val (_, list) = get("/contacts")
            val sameEmail =
                Json
                    .parseToJsonElement(list)
                    .let { it as? JsonArray ?: it.jsonObject.values.first { v -> v is JsonArray } as JsonArray }
                    .count { it.jsonObject.str("email") == body.str("email") }
            assertEquals(1, sameEmail)
            second.stop()
        }

    /**
     * The write commits on the server before the first snapshot is taken, and the app dies before
     * it sees the answer: the snapshot (no txids) already holds the row, so after the restart the
     * replayed request's txid never comes on the shape. The snapshot-end message's
     * xmin/xmax/xip_list says it is visible in the snapshot: as good as seen.
     */
    @Test
    fun `a restart reconciles a write the first snapshot already showed`() =
        runBlocking {
            val file = Files.createTempFile("sync-e2e", ".db").toFile().also { it.deleteOnExit() }
            file.delete()
            val network = Network()
            val shapesHeld = CompletableDeferred<Unit>()
            network.holdShapes = shapesHeld
            val first = engine(database(file), network)
            first.start()
            val body = contact("InSnapshot")
            val id = body.str("id")!!
            val swallowed = CompletableDeferred<Unit>()
            network.swallowNextPost = swallowed
            first.writes("contacts").insert(body)
            swallowed.await()
            assertEquals("InSnapshot", serverContact(id)?.str("first_name"))
            network.holdShapes = null
            shapesHeld.complete(Unit)
            eventually("the first snapshot (with the row) applied") {
                val state = "upToDate=${first.syncStatus.value.upToDate} synced=${first.synced(id) != null} outbox=${first.outboxRows().map { it.row.status }}"
                assertTrue(first.syncStatus.value.upToDate && first.synced(id) != null, state)
                assertEquals(listOf("inflight"), first.outboxRows().map { it.row.status }, state)
                true
            }
            first.stop()
            scopes.forEach { it.cancel() }
            connections.forEach { it.close() }

            val second = engine(database(file), network)
            second.start()
            eventually("the write reconciled after the restart") { (second.outboxRows().isEmpty() && second.synced(id) != null).takeIf { it } }
            assertEquals(2, network.writes.count { it.first == "POST" })
            second.stop()
        }

    /** Same race without a restart: the answer arrives after a snapshot that already holds the write. */
    @Test
    fun `an answer arriving after the snapshot that shows its write reconciles it`() =
        runBlocking {
            val network = Network()
            val shapesHeld = CompletableDeferred<Unit>()
            network.holdShapes = shapesHeld
            val c = database()
            val sync = engine(c, network)
            sync.start()
            val body = contact("LateAnswer")
            val id = body.str("id")!!
            val reached = CompletableDeferred<Unit>()
            val release = CompletableDeferred<Unit>()
            network.holdNextPostAnswer = reached to release
            sync.writes("contacts").insert(body)
            reached.await()
            eventually("the row on the server") { serverContact(id) }
            network.holdShapes = null
            shapesHeld.complete(Unit)
            eventually("the snapshot (with the row) applied") { (sync.syncStatus.value.upToDate && sync.synced(id) != null).takeIf { it } }
            release.complete(Unit)
            eventually("the write reconciled") { (sync.outboxRows().isEmpty() && c.local(id).isEmpty()).takeIf { it } }
            assertEquals("LateAnswer", sync.view(id)?.str("first_name"))
            sync.stop()
        }

    @Test
    fun `a confirmed write resolves with the server's row, stored in its wire form`() =
        runBlocking {
            val c = database()
            val network = Network()
            val sync = engine(c, network)
            sync.start()
            val id = UUID.randomUUID().toString()
            val body =
                buildJsonObject {
                    put("id", id)
                    put("name", "Acme $tag")
                    put("owner_email", "owner-$tag@example.com")
                    put("annual_revenue", "12.50")
                    put("employee_count", 3)
                    put("is_customer", true)
                    put("metadata", buildJsonObject { put("tier", "gold") })
                }
            val (_, writeId) = sync.writes("accounts").insert(body)
            // local_first: false: in the view at once, pending, until the server answers.
            assertEquals("Acme $tag", sync.viewRows("accounts").firstOrNull { it.str("id") == id }?.str("name"))
            val row = sync.awaitConfirmed(writeId)
            assertEquals(id, row?.str("id"))
            assertTrue(row?.str("created_at") != null, "the server's row (with server-generated fields): $row")
            val stored =
                eventually("the account on the shape") {
                    c.rows("SELECT * FROM \"accounts_synced\" WHERE \"id\" = ?", id).singleOrNull()
                }
            // The storage agreement: integers and booleans as INTEGER, decimals and dates as text, objects as JSON text.
            assertEquals(3L, (stored["employee_count"] as Number).toLong())
            assertEquals(1L, (stored["is_customer"] as Number).toLong())
            assertEquals("12.50", stored["annual_revenue"])
            assertEquals(buildJsonObject { put("tier", "gold") }, Json.parseToJsonElement(stored["metadata"] as String))
            assertTrue((stored["created_at"] as String).startsWith("20"), "${stored["created_at"]}")
            eventually("the outbox empty") { sync.outboxRows().isEmpty().takeIf { it } }

            // A nested entity: the create's path parameter {account_id} is bound to the row's column (IR bindings).
            val itemId = UUID.randomUUID().toString()
            sync.writes("line_items").insert(
                buildJsonObject {
                    put("id", itemId)
                    put("account_id", id)
                    put("description", "Widget")
                    put("quantity", 2)
                    put("unit_price", "3.50")
                    put("currency", "EUR")
                },
            )
            eventually("the line item on the shape") {
                (sync.syncedRows("line_items").any { it.str("id") == itemId && it.str("account_id") == id } && sync.outboxRows().isEmpty()).takeIf { it }
            }
            assertTrue("POST /accounts/$id/line-items" in network.writes.map { "${it.first} ${it.second}" }, "${network.writes}")
            sync.stop()
        }

    @Test
    fun `stop() ends every loop at once, a held long-poll included`() =
        runBlocking {
            val sync = engine(database(), Network())
            sync.start()
            eventually("shapes up to date (live long-polls out)") {
                sync.syncStatus.value.upToDate
                    .takeIf { it }
            }
            delay(300)
            val started = System.nanoTime()
            sync.stop()
            val ms = (System.nanoTime() - started) / 1_000_000
            assertTrue(ms < 2_000, "stop() took $ms ms")
            assertEquals(false, sync.syncStatus.value.running)
        }
}
