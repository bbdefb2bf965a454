package testapp

import com.example.crm.api.ApiClient
import com.example.crm.model.Contact
import com.example.crm.model.ContactCreate
import com.example.crm.model.ContactStatus
import com.example.crm.model.ContactUpdate
import io.syncpatterns.runtime.http.ApiException
import io.syncpatterns.runtime.http.ApiRequest
import io.syncpatterns.runtime.http.HttpRequest
import io.syncpatterns.runtime.http.HttpResponse
import io.syncpatterns.runtime.http.HttpTransport
import io.syncpatterns.runtime.http.HttpURLConnectionTransport
import io.syncpatterns.runtime.serial.SyncJson
import io.syncpatterns.runtime.sync.OutboxMachine
import io.syncpatterns.runtime.sync.OutboxRow
import io.syncpatterns.runtime.sync.OutboxSender
import io.syncpatterns.runtime.sync.OutboxWorker
import io.syncpatterns.runtime.sync.SendResult
import io.syncpatterns.runtime.sync.ShapeAction
import io.syncpatterns.runtime.sync.ShapeChange
import io.syncpatterns.runtime.sync.ShapeConsumer
import io.syncpatterns.runtime.sync.ShapeStore
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test
import java.net.URI
import java.net.http.HttpClient
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.net.http.HttpRequest as JdkRequest
import java.net.http.HttpResponse as JdkResponse

/**
 * The generated crm client and the runtime's HTTP transport, shape consumer and outbox worker
 * against a real `sync-patterns dev` server (embedded PGlite), which run-tests.sh starts and
 * passes as `-Dsync.devServer=http://127.0.0.1:PORT`. Rows carry a per-test [tag] so tests do not
 * see each other's data.
 */
class DevServerTest {
    private val baseUrl: String =
        System.getProperty("sync.devServer")?.trimEnd('/')
            ?: fail<String>(
                "system property sync.devServer is not set: run test-apps/kotlin/run-tests.sh, " +
                    "which starts `sync-patterns dev` and passes its URL",
            )
    private val tag = UUID.randomUUID().toString().take(8)
    private val client = ApiClient(baseUrl = baseUrl, tokenProvider = { "kotlin-junit" }, transport = HttpURLConnectionTransport())

    /** Consumers and workers run here and are cancelled without waiting for a held long-poll. */
    private val background = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    @AfterEach
    fun stopBackground() = background.cancel()

    /** Sends with java.net.http, which (unlike the JDK's HttpURLConnection) can send PATCH. */
    private class JdkHttpClientTransport : HttpTransport {
        private val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

        override suspend fun execute(request: HttpRequest): HttpResponse =
            withContext(Dispatchers.IO) {
                val body = request.body?.let { JdkRequest.BodyPublishers.ofByteArray(it) } ?: JdkRequest.BodyPublishers.noBody()
                val builder = JdkRequest.newBuilder(URI(request.url)).method(request.method, body)
                request.headers.forEach { (name, value) -> builder.header(name, value) }
                val response = http.send(builder.build(), JdkResponse.BodyHandlers.ofByteArray())
                HttpResponse(response.statusCode(), response.headers().map().mapKeys { it.key.lowercase() }, response.body())
            }
    }

    /** Records every request URL with the body of its answer (to tell live requests apart). */
    private class Recording(
        private val inner: HttpTransport,
    ) : HttpTransport {
        val exchanges = CopyOnWriteArrayList<Pair<String, String>>()

        override suspend fun execute(request: HttpRequest): HttpResponse = inner.execute(request).also { exchanges += request.url to it.bodyText() }
    }

    /** An in-memory [ShapeStore]: rows by shape key, every committed txid in order. */
    private class MemoryStore : ShapeStore {
        val rows = ConcurrentHashMap<String, JsonObject>()
        val txids = CopyOnWriteArrayList<Long>()

        override suspend fun position(table: String): Pair<String?, String>? = null

        override suspend fun commit(
            table: String,
            action: ShapeAction,
            changes: List<ShapeChange>,
            handle: String?,
            offset: String,
            txids: List<Long>,
        ) {
            if (action == ShapeAction.REFETCH) rows.clear()
            for (change in changes) {
                when (change.op) {
                    "insert" -> rows[change.key] = change.value
                    "update" -> rows[change.key] = JsonObject(rows[change.key].orEmpty() + change.value)
                    "delete" -> rows.remove(change.key)
                }
            }
            this.txids += txids
        }

        fun ids(): Set<String> = rows.values.mapNotNull { it["id"]?.jsonPrimitive?.contentOrNull }.toSet()
    }

    /** Polls [check] until it returns non-null, failing with [what] after [timeoutMs]. */
    private suspend fun <T : Any> eventually(
        what: String,
        timeoutMs: Long = 20_000,
        check: suspend () -> T?,
    ): T {
        val deadline = System.currentTimeMillis() + timeoutMs
        while (System.currentTimeMillis() < deadline) {
            check()?.let { return it }
            delay(POLL_MS)
        }
        return fail("timed out after $timeoutMs ms waiting for: $what")
    }

    private fun newContact(
        name: String,
        status: ContactStatus? = null,
    ) = ContactCreate(firstName = name, lastName = "Test", email = "$tag-$name@example.com".lowercase(), status = status, tags = listOf(tag))

    /** POST /contacts through the runtime's ApiCore, returning the decoded row and `x-sync-txid`. */
    private suspend fun createWithTxid(
        body: ContactCreate,
        idempotencyKey: String? = null,
    ): Triple<Contact, String?, HttpResponse> {
        val core = client.core
        val headers = listOfNotNull(idempotencyKey?.let { "Idempotency-Key" to it })
        val response = core.send(ApiRequest("POST", "/contacts", headers = headers, body = core.jsonBody(body), secured = true))
        assertEquals(201, response.status)
        return Triple(SyncJson.decodeFromString(Contact.serializer(), response.bodyText()), response.header("x-sync-txid"), response)
    }

    @Test
    fun `generated client creates, reads, lists, updates and deletes a contact`() =
        runBlocking {
            val created = client.contacts.createContact(newContact("Ada", ContactStatus.ACTIVE))
            assertEquals("Ada", created.firstName)
            assertEquals(ContactStatus.ACTIVE, created.status)
            assertEquals(listOf(tag), created.tags)
            assertEquals(created, client.contacts.getContact(created.id))
            assertEquals(listOf(created), client.contacts.listContacts().filter { it.id == created.id })
            assertTrue(client.contacts.listContacts(status = ContactStatus.CHURNED).none { it.id == created.id })

            // PATCH over java.net.http (see the next test for HttpURLConnectionTransport).
            val patcher = ApiClient(baseUrl = baseUrl, tokenProvider = { "kotlin-junit" }, transport = JdkHttpClientTransport())
            val updated = patcher.contacts.updateContact(created.id, ContactUpdate(lastName = "Lovelace", status = ContactStatus.CHURNED))
            assertEquals("Lovelace", updated.lastName)
            assertEquals(ContactStatus.CHURNED, updated.status)
            assertEquals("Ada", updated.firstName)
            assertEquals(updated, client.contacts.getContact(created.id))
            assertEquals(
                listOf(created.id),
                client.contacts
                    .listContacts(status = ContactStatus.CHURNED)
                    .map { it.id }
                    .filter { it == created.id },
            )

            client.contacts.deleteContact(created.id)
            val gone = assertThrows(ApiException::class.java) { runBlocking { client.contacts.getContact(created.id) } }
            assertEquals(404, gone.status)
            assertTrue(client.contacts.listContacts().none { it.id == created.id })
        }

    @Test
    fun `HttpURLConnectionTransport PATCHes on a desktop JDK through POST + X-HTTP-Method-Override`() =
        runBlocking {
            val created = client.contacts.createContact(newContact("Grace"))
            // The JDK refuses PATCH, so the transport falls back to POST + X-HTTP-Method-Override,
            // which the dev server honours (docs/backend-contract.md asks real backends to as well).
            val updated = client.contacts.updateContact(created.id, ContactUpdate(lastName = "Hopper"))
            assertEquals("Hopper", updated.lastName)
            assertEquals("Hopper", client.contacts.getContact(created.id).lastName)
        }

    @Test
    fun `an invalid body surfaces as ApiException 422`() {
        // The dev server checks formats (not minLength, see dev-server/src/rest/validate.ts).
        val e =
            assertThrows(ApiException::class.java) {
                runBlocking { client.contacts.createContact(ContactCreate(firstName = "Bad", email = "$tag-not-an-email")) }
            }
        assertEquals(422, e.status)
        assertTrue(e.isPermanent)
        assertTrue("validation_failed" in e.body && "email" in e.body, e.body)
        runBlocking { assertTrue(client.contacts.listContacts().none { it.email == "$tag-not-an-email" }) }
    }

    @Test
    fun `the same write with the same Idempotency-Key creates one row`() =
        runBlocking {
            val body = newContact("Idem")
            val key = "$tag-idem"
            val (first, firstTxid, firstResponse) = createWithTxid(body, key)
            val (second, secondTxid, secondResponse) = createWithTxid(body, key)
            assertEquals(first, second)
            assertTrue(firstTxid != null, "no x-sync-txid on the write")
            assertEquals(firstTxid, secondTxid)
            assertEquals(null, firstResponse.header("idempotent-replayed"))
            assertEquals("true", secondResponse.header("idempotent-replayed"))
            assertEquals(
                listOf(first.id),
                client.contacts
                    .listContacts()
                    .filter { it.email == body.email }
                    .map { it.id },
            )
        }

    @Test
    fun `ShapeConsumer gets the snapshot, then a later write on a live request with its txid`() =
        runBlocking {
            val (before, _, _) = createWithTxid(newContact("Snapshot"))
            val store = MemoryStore()
            val transport = Recording(HttpURLConnectionTransport())
            val consumer = ShapeConsumer(Authorized(transport), "$baseUrl/v1/shape", "contacts", store)
            background.launch { consumer.run() }

            eventually("the initial snapshot up to date with the REST row") {
                (consumer.status.value.upToDate && before.id in store.ids()).takeIf { it }
            }
            val snapshot = store.rows.values.single { it["id"]?.jsonPrimitive?.content == before.id }
            assertEquals("Snapshot", snapshot["first_name"]?.jsonPrimitive?.content)
            assertEquals(before.email, snapshot["email"]?.jsonPrimitive?.content)

            val (after, txid, _) = createWithTxid(newContact("Live"))
            val expected = (txid ?: fail("no x-sync-txid on the write")).toLong()
            eventually("txid $expected of the later write on the shape") { (expected in store.txids && after.id in store.ids()).takeIf { it } }
            val carrier = transport.exchanges.first { (_, body) -> after.id in body }
            assertTrue("live=true" in carrier.first, "the later write came on ${carrier.first}")
            assertTrue("handle=" in carrier.first, carrier.first)
            assertTrue(consumer.status.value.connected)
        }

    @Test
    fun `OutboxWorker sends queued writes in order and reconciles their txids from the shape`() =
        runBlocking {
            val core = client.core
            val payloads = linkedMapOf("$tag-w1" to newContact("First"), "$tag-w2" to newContact("Second"))
            val sender =
                object : OutboxSender {
                    override suspend fun send(row: OutboxRow): SendResult {
                        val request =
                            ApiRequest(
                                "POST",
                                "/contacts",
                                headers = listOf("Idempotency-Key" to row.writeId),
                                body = core.jsonBody(payloads.getValue(row.writeId)),
                                secured = true,
                            )
                        val response =
                            try {
                                core.send(request)
                            } catch (e: ApiException) {
                                return SendResult(e.status)
                            }
                        val bodyTxid =
                            SyncJson
                                .parseToJsonElement(response.bodyText())
                                .jsonObject["txid"]
                                ?.jsonPrimitive
                                ?.contentOrNull
                        return SendResult(response.status, OutboxMachine.txidOf(response.header("x-sync-txid"), bodyTxid))
                    }
                }
            // The shape is followed from before the writes: snapshot rows carry no txids, live ones do.
            val store = MemoryStore()
            val consumer = ShapeConsumer(Authorized(HttpURLConnectionTransport()), "$baseUrl/v1/shape", "contacts", store)
            background.launch { consumer.run() }
            eventually("the shape up to date") {
                consumer.status.value.upToDate
                    .takeIf { it }
            }

            val worker = OutboxWorker(OutboxMachine(), sender)
            background.launch { worker.run() }
            worker.update {
                val now = System.currentTimeMillis()
                payloads.keys.forEachIndexed { i, writeId -> enqueue(writeId, "contacts", "local-$i", "insert", confirmed = false, now = now) }
            }

            val sent =
                eventually("both writes acknowledged") {
                    worker.update { rows.takeIf { r -> r.size == 2 && r.all { it.status == "sent" } }?.toList() }
                }
            assertEquals(payloads.keys.toList(), sent.map { it.writeId })
            val txids = sent.map { (it.txid ?: fail("no txid reported for ${it.writeId}")).toLong() }
            assertTrue(txids[0] < txids[1], "txids in send order: $txids")
            assertEquals(payloads.keys.toList(), worker.update { sentLog.toList() })
            assertEquals(0, worker.status.value.pending)
            assertEquals(2, worker.status.value.awaitingSync)

            val onServer = client.contacts.listContacts().filter { it.tags == listOf(tag) }
            assertEquals(listOf("First", "Second"), onServer.sortedBy { it.createdAt.toString() }.map { it.firstName })

            // The shape carries both txids; handing them to the machine reconciles the rows.
            eventually("txids $txids on the shape") { store.txids.containsAll(txids).takeIf { it } }
            worker.update { seen(store.txids.map { it.toString() }) }
            assertTrue(worker.update { rows.isEmpty() })
            assertEquals(0, worker.status.value.awaitingSync)
            assertEquals(null, worker.status.value.lastError)
        }

    private companion object {
        const val POLL_MS = 50L
    }
}

/** The dev server answers 401 without a token (as the spec's security asks): shape requests carry one. */
private class Authorized(
    private val inner: HttpTransport,
) : HttpTransport {
    override suspend fun execute(request: HttpRequest): HttpResponse =
        inner.execute(
            HttpRequest(request.method, request.url, request.headers + ("Authorization" to "Bearer kotlin-junit"), request.body),
        )
}
