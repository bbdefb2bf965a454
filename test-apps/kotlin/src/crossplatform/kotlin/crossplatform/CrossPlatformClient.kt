package crossplatform

import e2e.crm.api.ApiClient
import e2e.crm.data.ContactsRepository
import e2e.crm.data.LiveSync
import e2e.crm.data.SyncDatabase
import e2e.crm.model.Contact
import e2e.crm.model.ContactCreate
import e2e.crm.model.ContactUpdate
import io.syncpatterns.runtime.engine.SyncConfig
import io.syncpatterns.runtime.engine.SyncEngine
import io.syncpatterns.runtime.http.HttpRequest
import io.syncpatterns.runtime.http.HttpResponse
import io.syncpatterns.runtime.http.HttpTransport
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.longOrNull
import kotlinx.serialization.json.put
import testapp.JdbcRoomDatabase
import testapp.JdbcSupportDb
import testapp.SHARED_DDL
import testapp.exec
import testapp.rows
import java.io.IOException
import java.net.URI
import java.net.http.HttpClient
import java.sql.DriverManager
import java.time.Instant
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors
import java.net.http.HttpRequest as JdkRequest
import java.net.http.HttpResponse as JdkResponse

/**
 * The Kotlin client of the cross-platform convergence scenario (tools/e2e/crossplatform.ts,
 * issue #12 part 4): the crm app's generated `ContactsRepository` and `LiveSync.engine` over a
 * SQLite file, through [JdbcRoomDatabase] (a TEST DOUBLE of Room's generated code) and
 * `JdbcSupportDb` (a TEST DOUBLE of Android's SupportSQLiteDatabase on sqlite-jdbc), against the
 * scenario's `sync-patterns dev`.
 *
 * Driven over stdin/stdout, one JSON object a line: `{"id": n, "cmd": ..., ...}` in, `{"id": n,
 * "ok": true, ...}` or `{"id": n, "ok": false, "error": ...}` out; commands run concurrently (a
 * `waitRow` waits while others go on). Times are wall-clock milliseconds (epoch, sub-ms), the
 * clock the browser's `performance.timeOrigin + performance.now()` reads too.
 *
 * Commands: `start`, `stop` (the engine), `offline` {on} (every request fails like a dropped
 * network, open long-polls included), `create` {first_name, last_name?, email} → {key, at},
 * `update` {key, values} → {at}, `delete` {key} → {at}, `waitRow` {label, present, timeoutMs} →
 * {at} (when the repository's `observeAll()` Flow first emits with / without a row of that
 * label), `idle` {timeoutMs} (nothing pending, every shape up to date), `rows` → {rows} (the
 * repository's rows with their pending state), `quit`.
 *
 * Usage: `java crossplatform.CrossPlatformClientKt <apiBaseUrl> <token> <sqliteFile>`.
 */
fun main(args: Array<String>) {
    require(args.size == 3) { "usage: CrossPlatformClient <apiBaseUrl> <token> <sqliteFile>" }
    val (baseUrl, token, file) = args
    runBlocking { Client(baseUrl, token, file).serve() }
}

private fun now(): Double = Instant.now().let { it.epochSecond * 1000.0 + it.nano / 1_000_000.0 }

/** java.net.http (cancellable; sends PATCH) with an offline switch that also breaks the requests already out. */
private class SwitchableTransport : HttpTransport {
    private val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
    private val open = ConcurrentHashMap.newKeySet<CompletableFuture<JdkResponse<ByteArray>>>()

    @Volatile var offline = false
        set(value) {
            field = value
            if (value) open.toList().forEach { it.completeExceptionally(IOException("network down (offline)")) }
        }

    override suspend fun execute(request: HttpRequest): HttpResponse {
        if (offline) throw IOException("network down (offline)")
        val body = request.body?.let { JdkRequest.BodyPublishers.ofByteArray(it) } ?: JdkRequest.BodyPublishers.noBody()
        val builder = JdkRequest.newBuilder(URI(request.url)).method(request.method, body)
        request.headers.forEach { (name, value) -> builder.header(name, value) }
        val future = http.sendAsync(builder.build(), JdkResponse.BodyHandlers.ofByteArray())
        open += future
        val response =
            try {
                if (offline) throw IOException("network down (offline)")
                future.await()
            } catch (e: java.util.concurrent.CompletionException) {
                throw IOException(e.cause)
            } finally {
                open -= future
            }
        return HttpResponse(response.statusCode(), response.headers().map().mapKeys { it.key.lowercase() }, response.body())
    }
}

private class Client(
    baseUrl: String,
    token: String,
    file: String,
) {
    private val dbThread = Executors.newSingleThreadExecutor { r -> Thread(r, "sqlite").apply { isDaemon = true } }.asCoroutineDispatcher()
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val transport = SwitchableTransport()
    private val database: JdbcRoomDatabase
    private val engine: SyncEngine
    private val contacts: ContactsRepository
    private val out = Any()

    init {
        val c = DriverManager.getConnection("jdbc:sqlite:$file")
        // A fresh install as Room creates it: the shared tables, each table's SQL, the generated onCreate callback.
        if (c.rows("SELECT name FROM sqlite_master WHERE name = '_sync_outbox'").isEmpty()) {
            SHARED_DDL.forEach { c.exec(it) }
            SyncDatabase.LIVE_TABLES.forEach { t ->
                c.exec(t.createSynced)
                c.exec(t.createLocal)
                c.exec(t.createView)
            }
            SyncDatabase.CALLBACK.onCreate(JdbcSupportDb(c))
        }
        database = JdbcRoomDatabase(JdbcSupportDb(c), dbThread)
        val api = ApiClient(baseUrl, tokenProvider = { token }, transport = transport)
        // What an app writes (README, Android): the generated glue, the default tuning; only the SQL thread is the double's.
        engine = LiveSync.engine(database, api, scope, SyncConfig(dispatcher = dbThread))
        contacts = ContactsRepository(database.contactDao(), database.syncDao())
    }

    private fun reply(message: JsonObject) {
        synchronized(out) {
            println(message.toString())
            System.out.flush()
        }
    }

    suspend fun serve() {
        val input = System.`in`.bufferedReader()
        while (true) {
            val line = withContext(Dispatchers.IO) { input.readLine() } ?: break
            if (line.isBlank()) continue
            val command = Json.parseToJsonElement(line).jsonObject
            val id = command["id"]?.jsonPrimitive?.longOrNull ?: -1
            if (command["cmd"]?.jsonPrimitive?.content == "quit") break
            scope.launch {
                val answer =
                    try {
                        JsonObject(mapOf("id" to JsonPrimitive(id), "ok" to JsonPrimitive(true)) + handle(command))
                    } catch (e: Exception) {
                        buildJsonObject {
                            put("id", id)
                            put("ok", false)
                            put("error", "${e::class.simpleName}: ${e.message}")
                        }
                    }
                reply(answer)
            }
        }
        engine.stop()
        scope.cancel()
        dbThread.close()
    }

    private fun JsonObject.text(name: String): String? = (this[name] as? JsonPrimitive)?.takeIf { it !is JsonNull }?.contentOrNull

    private fun label(c: Contact) = listOfNotNull(c.firstName, c.lastName).filter { it.isNotEmpty() }.joinToString(" ")

    private suspend fun handle(command: JsonObject): Map<String, kotlinx.serialization.json.JsonElement> =
        when (val cmd = command["cmd"]?.jsonPrimitive?.content) {
            "start" -> {
                engine.start()
                emptyMap()
            }

            "stop" -> {
                engine.stop()
                emptyMap()
            }

            "offline" -> {
                transport.offline = command["on"]?.jsonPrimitive?.booleanOrNull ?: true
                emptyMap()
            }

            "create" -> {
                val at = now()
                val row =
                    contacts.create(
                        ContactCreate(
                            firstName = command.text("first_name")!!,
                            lastName = command.text("last_name"),
                            email = command.text("email")!!,
                        ),
                    )
                mapOf("key" to JsonPrimitive(row.id), "at" to JsonPrimitive(at))
            }

            "update" -> {
                val values = command["values"]!!.jsonObject
                val at = now()
                contacts.update(
                    command.text("key")!!,
                    ContactUpdate(firstName = values.text("first_name"), lastName = values.text("last_name"), phone = values.text("phone")),
                )
                mapOf("at" to JsonPrimitive(at))
            }

            "delete" -> {
                val at = now()
                contacts.delete(command.text("key")!!)
                mapOf("at" to JsonPrimitive(at))
            }

            "waitRow" -> {
                val label = command.text("label")!!
                val present = command["present"]?.jsonPrimitive?.booleanOrNull ?: true
                val timeout = command["timeoutMs"]?.jsonPrimitive?.longOrNull ?: 20_000
                val at =
                    withTimeoutOrNull(timeout) {
                        contacts.observeAll().first { rows -> rows.any { label(it) == label } == present }
                        now()
                    } ?: error("timed out after $timeout ms waiting for '$label' to be ${if (present) "shown" else "gone"}")
                mapOf("at" to JsonPrimitive(at))
            }

            "idle" -> {
                val timeout = command["timeoutMs"]?.jsonPrimitive?.longOrNull ?: 30_000
                withTimeoutOrNull(timeout) {
                    engine.syncStatus.first { it.running && it.upToDate && it.pending == 0 && it.awaitingSync == 0 }
                } ?: error("not idle after $timeout ms: ${engine.syncStatus.value}")
                emptyMap()
            }

            "status" -> {
                mapOf("status" to JsonPrimitive(engine.syncStatus.value.toString()))
            }

            "rows" -> {
                val rows =
                    contacts.observeAllWithState().first().map { s ->
                        buildJsonObject {
                            put("id", s.value.id)
                            put("label", label(s.value))
                            put("first_name", s.value.firstName)
                            put("last_name", s.value.lastName)
                            put("email", s.value.email)
                            put("phone", s.value.phone)
                            put("state", s.state.name.lowercase())
                        }
                    }
                mapOf("rows" to JsonArray(rows), "status" to JsonPrimitive(engine.syncStatus.value.toString()))
            }

            else -> {
                error("unknown command $cmd")
            }
        }
}
