package io.syncpatterns.runtime.engine

import io.syncpatterns.runtime.http.ApiCore
import io.syncpatterns.runtime.http.ApiException
import io.syncpatterns.runtime.http.AuthStyle
import io.syncpatterns.runtime.http.HttpRequest
import io.syncpatterns.runtime.http.HttpResponse
import io.syncpatterns.runtime.http.encodePathSegment
import io.syncpatterns.runtime.http.encodeQuery
import io.syncpatterns.runtime.sync.BackoffPolicy
import io.syncpatterns.runtime.sync.LocalWrites
import io.syncpatterns.runtime.sync.OutboxEffect
import io.syncpatterns.runtime.sync.OutboxMachine
import io.syncpatterns.runtime.sync.OutboxRow
import io.syncpatterns.runtime.sync.OutboxSender
import io.syncpatterns.runtime.sync.OutboxWorker
import io.syncpatterns.runtime.sync.PgSnapshot
import io.syncpatterns.runtime.sync.SendResult
import io.syncpatterns.runtime.sync.ShapeAction
import io.syncpatterns.runtime.sync.ShapeLog
import io.syncpatterns.runtime.sync.ShapeResponse
import io.syncpatterns.runtime.sync.SyncError
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.completeWith
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.io.IOException

/** Tuning of a [SyncEngine]; the defaults are the contract's. */
data class SyncConfig(
    /** The Electric shape endpoint; default `<api base URL>/v1/shape`. */
    val electricUrl: String? = null,
    /** Timeout of every write request and of non-live shape requests (contract §2: 15 s). */
    val requestTimeoutMs: Long = 15_000,
    /** Timeout of a live (long-poll) shape request. */
    val liveTimeoutMs: Long = 90_000,
    val backoff: BackoffPolicy = BackoffPolicy(),
    val shapeRetry: BackoffPolicy = BackoffPolicy(baseMs = 1_000),
    /** How often the engine looks for writes made through the view without [SyncEngine.notifyLocalWrite]. */
    val pollMs: Long = 500,
    /** Reachability probe interval while the server is unreachable and writes wait (contract §2). */
    val probeMs: Long = 1_000,
    /** Where the blocking SQL runs. */
    val dispatcher: CoroutineDispatcher = Dispatchers.IO,
    val clock: () -> Long = System::currentTimeMillis,
    val random: () -> Double = Math::random,
)

/** What a sync indicator shows. */
data class SyncStatus(
    /** Between [SyncEngine.start] and [SyncEngine.stop]. */
    val running: Boolean = false,
    /** Every shape's last request was answered. */
    val connected: Boolean = false,
    /** Every shape has caught up with the server at least once. */
    val upToDate: Boolean = false,
    /** Writes not acknowledged yet (waiting or being sent). */
    val pending: Int = 0,
    /** Acknowledged writes waiting for their txid on the shape. */
    val awaitingSync: Int = 0,
    /** Refused writes kept for the errors API. */
    val failed: Int = 0,
    /** The last refused write; cleared by the next successful one. */
    val lastError: SyncError? = null,
)

/** A refused write, as the errors API lists it (contract §2). */
data class FailedWriteInfo(
    val writeId: String,
    val table: String,
    val pk: String,
    val op: String,
    val status: Int,
    val message: String,
    /** Field → message, from the server's answer. */
    val fieldErrors: Map<String, String>,
    /** The refused values (synced columns only, the key included). */
    val values: JsonObject,
    val failedAt: Long,
)

/** Inserts, updates and deletes through one live table's view ([SyncEngine.writes]). */
interface LocalWriter {
    /** Returns the row's key and the write id (null when nothing synced changed on an update). */
    suspend fun insert(values: JsonObject): Pair<JsonPrimitive, String>

    suspend fun update(
        pk: JsonPrimitive,
        values: JsonObject,
    ): String?

    suspend fun delete(pk: JsonPrimitive): String
}

/**
 * The sync engine of one app database (sync-runtime-contract §1-§5): one shape consumer per live
 * table writing `T_synced`, `_sync_shapes` and `_sync_seen_txids` in one transaction per response,
 * and the single outbox drainer (FIFO over every table, backoff, 15 s timeouts, reconciliation
 * by txid, rollback of refused writes kept for the errors API), its state persisted in
 * `_sync_outbox` and `T_local` after every event.
 *
 * Created by the app's generated glue with the database, the API ([ApiCore]: base URL, token
 * provider, transport) and a [CoroutineScope]; everything runs as children of that scope, so
 * cancelling it, or [stop], stops every request and loop with nothing half-committed.
 */
class SyncEngine(
    private val db: SqlDriver,
    val tables: List<SyncTable>,
    private val api: ApiCore,
    private val scope: CoroutineScope,
    private val config: SyncConfig = SyncConfig(),
) {
    private val store = SqlSyncStore(db, tables.map { it.table })
    private val byName = tables.associateBy { it.table.table }
    private val electricUrl = config.electricUrl ?: (api.baseUrl.trimEnd('/') + "/v1/shape")
    private val machine = OutboxMachine(config.backoff)
    private val worker = OutboxWorker(machine, Sender(), ::persist, config.clock, config.random)
    private val dbLock = Mutex()
    private val lifecycle = Mutex()
    private var job: Job? = null
    private var lastSeq = 0L
    private var lastProbe = 0L
    private var settledResolved = 0
    private var settledRejected = 0
    private val waiting = mutableMapOf<String, CompletableDeferred<JsonObject?>>()
    private val outcomes = mutableMapOf<String, Result<JsonObject?>>()
    private val bodies = mutableMapOf<String, String?>()
    private val shapes = MutableStateFlow<Map<String, Pair<Boolean, Boolean>>>(emptyMap())
    private val status = MutableStateFlow(SyncStatus())
    private val failed = MutableStateFlow<List<FailedWriteInfo>>(emptyList())

    /** The sync indicator's state. */
    val syncStatus: StateFlow<SyncStatus> = status.asStateFlow()

    /** Refused writes, newest last (retry or discard each). */
    val failedWrites: Flow<List<FailedWriteInfo>> = failed.asStateFlow()

    /** Starts syncing in the engine's scope (idempotent). */
    fun start() {
        if (job?.isActive == true) return
        job = scope.launch { run() }
    }

    /** Stops every request and loop; local writes keep landing and are sent after the next [start]. */
    suspend fun stop() {
        job?.cancelAndJoin()
        job = null
        status.value = status.value.copy(running = false, connected = false)
    }

    /** Tells the engine a write went through a view (the generated DAOs' writes): it is sent at once. */
    fun notifyLocalWrite() {
        scope.launch { adoptNewRows() }
    }

    /** Writes through [table]'s view with the runtime's write flow, then wakes the drainer. */
    fun writes(table: String): LocalWriter {
        val t = byName[table]?.table ?: error("sync: unknown live table '$table'")
        val access = store.access(t)
        return object : LocalWriter {
            override suspend fun insert(values: JsonObject): Pair<JsonPrimitive, String> {
                val writeId = LocalWrites.newWriteId()
                val pk = transaction { LocalWrites.insert(t, access, values, writeId, config.clock()) }
                adoptNewRows()
                return pk to writeId
            }

            override suspend fun update(
                pk: JsonPrimitive,
                values: JsonObject,
            ): String? {
                val writeId = LocalWrites.newWriteId()
                val changed = transaction { LocalWrites.update(t, access, pk, values, writeId, config.clock()) }
                adoptNewRows()
                return writeId.takeIf { changed }
            }

            override suspend fun delete(pk: JsonPrimitive): String {
                val writeId = LocalWrites.newWriteId()
                transaction { LocalWrites.delete(t, access, pk, writeId, config.clock()) }
                adoptNewRows()
                return writeId
            }
        }
    }

    /**
     * Waits for a confirmed write (`local_first: false`, contract §4): the server's row (the
     * response body when it is an object with the primary key, else the local row), or
     * [ApiException] when refused; cancelling the caller rolls the write back.
     */
    suspend fun awaitConfirmed(writeId: String): JsonObject? {
        val deferred =
            worker.update {
                val done = outcomes.remove(writeId)
                val d = CompletableDeferred<JsonObject?>()
                if (done != null) d.completeWith(done) else waiting[writeId] = d
                d
            }
        try {
            return deferred.await()
        } catch (e: CancellationException) {
            withContext(kotlinx.coroutines.NonCancellable) { worker.update { cancel(writeId) } }
            throw e
        }
    }

    /** Makes a failed write again through the view, as a new write with the same values (contract §2). */
    suspend fun retry(writeId: String): String {
        val info = failed.value.firstOrNull { it.writeId == writeId } ?: throw NoSuchElementException("no failed write $writeId")
        val writer = writes(info.table)
        val pk = JsonPrimitive(info.pk)
        val newId =
            when (info.op) {
                "insert" -> writer.insert(info.values).second
                "update" -> writer.update(pk, info.values) ?: writeId
                else -> writer.delete(pk)
            }
        discard(writeId)
        return newId
    }

    /** Forgets a failed write (its local change was rolled back when it was refused). */
    suspend fun discard(writeId: String) {
        worker.update { discard(writeId) }
    }

    /** The view rows of [table] as wire JSON (for tools and tests; apps read through their DAOs). */
    suspend fun viewRows(table: String): List<JsonObject> = read { store.viewRows(store.table(table)) }

    /** The `T_synced` rows of [table] as wire JSON. */
    suspend fun syncedRows(table: String): List<JsonObject> = read { store.syncedRows(store.table(table)) }

    /** The outbox rows, in `seq` order. */
    suspend fun outboxRows(): List<StoredOutboxRow> = read { store.outbox() }

    private suspend fun <T> read(block: () -> T): T = dbLock.withLock { withContext(config.dispatcher) { block() } }

    private suspend fun <T> transaction(block: suspend () -> T): T =
        dbLock.withLock {
            withContext(config.dispatcher) {
                db.beginTransaction()
                try {
                    block().also { db.setTransactionSuccessful() }
                } finally {
                    db.endTransaction()
                }
            }
        }

    private suspend fun run() =
        coroutineScope {
            lifecycle.withLock { load() }
            status.value = status.value.copy(running = true)
            launch { worker.run() }
            tables.forEach { t -> launch { follow(t) } }
            launch { watch() }
        }

    /** Reads the persisted outbox state: an `inflight` row of a stopped app is pending again. */
    private suspend fun load() {
        val now = config.clock()
        var snapshots: Map<String, PgSnapshot> = emptyMap()
        val (stored, keys, seen) =
            transaction {
                store.resetInflight()
                val all = store.outbox()
                val expired = all.filter { it.row.status == "failed" && failedAt(it) < now - FAILED_TTL_MS }
                expired.forEach { db.exec("DELETE FROM \"_sync_outbox\" WHERE \"write_id\" = ?", listOf(it.row.writeId)) }
                snapshots = tables.mapNotNull { e -> store.snapshot(e.table)?.let { e.table.table to it } }.toMap()
                Triple(all - expired.toSet(), store.localKeys(), store.seenTxids())
            }
        worker.update {
            this.snapshots.clear()
            this.snapshots.putAll(snapshots)
            rows.clear()
            stored.forEach { adopt(it.row) }
            localWriteIds.clear()
            localWriteIds.putAll(keys.first)
            hidden.clear()
            hidden.addAll(keys.second)
            seenTxids.addAll(seen)
            lastSeq = stored.maxOfOrNull { it.row.seq } ?: 0
            takeEffects()
        }
        refreshFailed()
    }

    private fun failedAt(row: StoredOutboxRow): Long =
        row.error?.let {
            runCatching {
                (Json.parseToJsonElement(it) as JsonObject)["failedAt"]?.let { v ->
                    (v as JsonPrimitive).content.toLong()
                }
            }.getOrNull()
        }
            ?: row.createdAt

    /** Adopts outbox rows appended through the views since the last look. */
    private suspend fun adoptNewRows() {
        val fresh = read { store.outbox(afterSeq = lastSeq) }
        if (fresh.isEmpty()) return
        worker.update {
            fresh.forEach { r -> if (r.row.seq > lastSeq && this.rows.none { it.writeId == r.row.writeId }) adopt(r.row) }
            lastSeq = maxOf(lastSeq, fresh.maxOf { it.row.seq })
        }
    }

    /** Finds writes made through the views, and probes the server while it is unreachable with writes waiting. */
    private suspend fun watch() {
        while (currentCoroutineContext().isActive) {
            adoptNewRows()
            val now = config.clock()
            val probe = worker.update { unreachable && this.rows.any { it.status == "pending" } }
            if (probe && now - lastProbe >= config.probeMs) {
                lastProbe = now
                val answered =
                    try {
                        withTimeoutOrNull(config.requestTimeoutMs) { api.transport.execute(HttpRequest("GET", api.baseUrl)) }?.status?.let {
                            it <
                                500
                        }
                            ?: false
                    } catch (e: IOException) {
                        false
                    }
                if (answered) worker.update { reconnect(config.clock()) }
            }
            delay(config.pollMs)
        }
    }

    /** The worker's persist hook: the machine's decisions go to `_sync_outbox` and `T_local` in one transaction. */
    private suspend fun persist(m: OutboxMachine) {
        val effects = m.takeEffects()
        if (effects.isNotEmpty()) transaction { store.apply(effects, config.clock()) }
        settle(m)
        if (effects.any { it is OutboxEffect.Rollback || it is OutboxEffect.Delete }) refreshFailed()
        val rows = m.rows
        status.value =
            status.value.copy(
                pending = rows.count { it.status == "pending" || it.status == "inflight" },
                awaitingSync = rows.count { it.status == "sent" },
                failed = rows.count { it.status == "failed" },
                lastError = m.lastError,
            )
    }

    /** Completes the callers waiting for confirmed writes. */
    private suspend fun settle(m: OutboxMachine) {
        while (settledResolved < m.resolved.size) {
            val writeId = m.resolved[settledResolved++]
            if (writeId !in rowOf) continue
            val row = serverRow(writeId, bodies.remove(writeId))
            val deferred = waiting.remove(writeId)
            if (deferred != null) deferred.complete(row) else outcomes[writeId] = Result.success(row)
        }
        while (settledRejected < m.rejected.size) {
            val (writeId, code) = m.rejected[settledRejected++]
            val body = bodies.remove(writeId)
            rowOf.remove(writeId)
            val failure =
                if (code ==
                    null
                ) {
                    CancellationException("write $writeId cancelled")
                } else {
                    ApiException(code, body ?: "", emptyMap())
                }
            val deferred = waiting.remove(writeId)
            if (deferred != null) {
                deferred.completeExceptionally(failure)
            } else if (code != null) {
                outcomes[writeId] = Result.failure(failure)
            }
        }
    }

    private suspend fun serverRow(
        writeId: String,
        body: String?,
    ): JsonObject? {
        val row = rowOf[writeId] ?: return null
        rowOf.remove(writeId)
        val t = store.table(row.table)
        val parsed = body?.let { runCatching { Json.parseToJsonElement(it) as? JsonObject }.getOrNull() }
        if (parsed != null && parsed[t.primaryKey] != null && parsed[t.primaryKey] !is JsonNull) return parsed
        return read { store.viewRow(t, row.pk) }
    }

    private val rowOf = mutableMapOf<String, OutboxRow>()

    private suspend fun refreshFailed() {
        val rows = read { store.outbox().filter { it.row.status == "failed" } }
        failed.value =
            rows.map { r ->
                val error = r.error?.let { runCatching { Json.parseToJsonElement(it) as JsonObject }.getOrNull() }
                val code = (error?.get("status") as? JsonPrimitive)?.content?.toIntOrNull() ?: 0
                val body =
                    error?.get("body")?.takeIf { it !is JsonNull }?.let {
                        if (it is JsonPrimitive &&
                            it.isString
                        ) {
                            it.content
                        } else {
                            it.toString()
                        }
                    }
                FailedWriteInfo(
                    writeId = r.row.writeId,
                    table = r.row.table,
                    pk = r.row.pk,
                    op = r.row.op,
                    status = code,
                    message = (error?.get("message") as? JsonPrimitive)?.content ?: "HTTP $code",
                    fieldErrors = ErrorBodies.fields(body),
                    values = runCatching { Json.parseToJsonElement(r.payload) as JsonObject }.getOrElse { JsonObject(emptyMap()) },
                    failedAt = failedAt(r),
                )
            }
    }

    /** Adds the token (REST writes and shape requests alike) as the API's auth style says. */
    private suspend fun authorize(
        url: String,
        headers: List<Pair<String, String>>,
        secured: Boolean,
    ): Pair<String, List<Pair<String, String>>> {
        val token = if (secured) api.tokenProvider() else null
        if (token == null) return url to headers
        return when (val style = api.auth) {
            AuthStyle.Bearer -> {
                url to headers + ("Authorization" to "Bearer $token")
            }

            AuthStyle.Basic -> {
                url to headers + ("Authorization" to "Basic $token")
            }

            is AuthStyle.ApiKeyHeader -> {
                url to headers + (style.name to token)
            }

            is AuthStyle.ApiKeyQuery -> {
                (
                    url + (
                        if ('?' in
                            url
                        ) {
                            "&"
                        } else {
                            "?"
                        }
                    ) + encodeQuery(listOf(style.name to token)).removePrefix("?")
                ) to
                    headers
            }
        }
    }

    /** Sends one outbox row as its entity's create / update / delete operation. */
    private inner class Sender : OutboxSender {
        override suspend fun send(row: OutboxRow): SendResult {
            val entry = byName[row.table] ?: return SendResult(400, body = "{\"message\":\"unknown live table ${row.table}\"}")
            val route = entry.route(row.op) ?: return SendResult(405, body = "{\"message\":\"${row.table} has no ${row.op} operation\"}")
            val t = entry.table
            val (payloadText, current) =
                read {
                    val stored = store.outbox().firstOrNull { it.row.writeId == row.writeId }
                    (stored?.payload ?: "{}") to store.viewRow(t, row.pk)
                }
            val payload = Json.parseToJsonElement(payloadText) as JsonObject
            var path = route.path
            val query = mutableListOf<Pair<String, String>>()
            val headers = mutableListOf<Pair<String, String>>()
            for (p in route.parameters) {
                val value =
                    if (p.column == null) {
                        row.pk
                    } else {
                        val v = payload[p.column] ?: current?.get(p.column)
                        if (v == null || v is JsonNull) {
                            ""
                        } else if (v is JsonPrimitive) {
                            v.content
                        } else {
                            v.toString()
                        }
                    }
                when (p.location) {
                    ParamLocation.PATH -> path = path.replace("{${p.name}}", encodePathSegment(value))
                    ParamLocation.QUERY -> query += p.name to value
                    ParamLocation.HEADER -> headers += p.name to value
                }
            }
            headers += "Idempotency-Key" to row.writeId
            headers += "Accept" to "application/json"
            val body =
                when {
                    row.op == "delete" -> {
                        null
                    }

                    row.op == "update" && route.method.uppercase() == "PUT" && current != null -> {
                        val synced = t.syncedColumns.map { it.name }.toSet()
                        JsonObject(current.filterKeys { it in synced }).toString()
                    }

                    else -> {
                        payloadText
                    }
                }
            if (body != null) headers += "Content-Type" to ApiCore.JSON_MEDIA_TYPE
            val (url, authorized) = authorize(api.baseUrl.trimEnd('/') + path + encodeQuery(query), headers, route.secured)
            val response: HttpResponse =
                withTimeoutOrNull(config.requestTimeoutMs) {
                    api.transport.execute(HttpRequest(route.method.uppercase(), url, authorized, body?.encodeToByteArray()))
                } ?: return SendResult(null)
            val text = response.bodyText()
            val bodyTxid =
                runCatching {
                    (Json.parseToJsonElement(text) as? JsonObject)?.get("txid") as? JsonPrimitive
                }.getOrNull()?.takeIf { it !is JsonNull }?.content
            val retryAfter =
                response
                    .header("retry-after")
                    ?.trim()
                    ?.toLongOrNull()
                    ?.times(1000)
            if (row.confirmed) {
                bodies[row.writeId] = text
                rowOf[row.writeId] = row
            }
            return SendResult(response.status, OutboxMachine.txidOf(response.header("x-sync-txid"), bodyTxid), retryAfter, text)
        }
    }

    /** Follows one table's shape until cancelled (contract §5). */
    private suspend fun follow(entry: SyncTable) {
        val t = entry.table
        val shapeKey = if (entry.where == null) t.table else "${t.table}|${entry.where}"
        val log = ShapeLog(keepRows = false)
        read { store.position(shapeKey) }?.let { (handle, offset) -> log.restore(handle, offset) }
        var failures = 0
        // A snapshot (offset -1: first sync or must-refetch) carries no txids. Its snapshot-end
        // (xmin/xmax/xip_list) says which txids it holds, now and for answers that arrive later or
        // after a restart (OutboxMachine.snapshotApplied). For a server that sends no snapshot-end:
        // the writes acknowledged before it was requested are in it, and so is any other sent write
        // it shows (contract §5).
        var snapshotFrom: Set<String>? = null
        while (currentCoroutineContext().isActive) {
            if (log.offset == "-1" && snapshotFrom == null) {
                snapshotFrom = worker.update { rows.filter { it.status == "sent" && it.table == t.table }.map { it.writeId }.toSet() }
            }
            val params = log.nextParams(t.table) + listOfNotNull(entry.where?.let { "where" to it })
            val live = params.any { it.first == "live" }
            val (url, headers) = authorize(electricUrl + encodeQuery(params), listOf("Accept" to "application/json"), secured = true)
            val response =
                try {
                    withTimeoutOrNull(
                        if (live) config.liveTimeoutMs else config.requestTimeoutMs,
                    ) { api.transport.execute(HttpRequest("GET", url, headers)) }
                } catch (e: IOException) {
                    null
                }
            if (response == null || (response.status >= 400 && response.status != 409)) {
                failures++
                if (response == null) worker.update { channelFailed() }
                shapeState(t.table, connected = false, upToDate = log.upToDate)
                delay(config.shapeRetry.delayMs(failures, config.random()).coerceAtLeast(50))
                continue
            }
            failures = 0
            val text = response.bodyText()
            val body = text.takeIf { it.isNotBlank() }?.let { Json.parseToJsonElement(it) as? JsonArray } ?: JsonArray(emptyList())
            val action = log.apply(ShapeResponse(response.status, response.headers.mapValues { it.value.firstOrNull().orEmpty() }, body))
            val txids = log.txids.map { it.toString() }
            val now = config.clock()
            var finished = false
            // The snapshot T_synced now holds, when this response ended one (or swapped a refetch in).
            var applied: PgSnapshot? = null
            val deleted =
                transaction {
                    if (action == ShapeAction.REFETCH) store.beginRefetch(t)
                    val gone = if (action == ShapeAction.APPLY) store.applyChanges(t, log.changes) else emptyList()
                    log.snapshotEnd?.let { store.storeSnapshot(t, it) }
                    val swapped = log.upToDate && store.refetching(t)
                    if (swapped) store.finishRefetch(t)
                    if (log.snapshotEnd != null || swapped) applied = store.snapshot(t)
                    finished = log.upToDate && snapshotFrom != null
                    store.markSeen(txids, now)
                    store.savePosition(t, shapeKey, log.handle, log.offset, now)
                    gone
                }
            if (action == ShapeAction.REFETCH) snapshotFrom = null
            val confirmedBySnapshot =
                if (finished) {
                    val before = snapshotFrom.orEmpty()
                    snapshotFrom = null
                    val sent = worker.update { rows.filter { it.status == "sent" && it.table == t.table } }
                    before + read { sent.filter { store.shows(t, it) }.map { it.writeId } }
                } else {
                    emptySet()
                }
            worker.update {
                if (action == ShapeAction.REFETCH) snapshotApplied(t.table, null)
                seen(txids)
                applied?.let { snapshotApplied(t.table, it) }
                if (confirmedBySnapshot.isNotEmpty()) reconcileSent(confirmedBySnapshot)
                deleted.forEach { shapeDeleted(t.table, it) }
                channelSucceeded(config.clock())
            }
            shapeState(t.table, connected = true, upToDate = log.upToDate)
        }
    }

    private fun shapeState(
        table: String,
        connected: Boolean,
        upToDate: Boolean,
    ) {
        val all = shapes.value + (table to (connected to upToDate))
        shapes.value = all
        val complete = all.size == tables.size
        status.value =
            status.value.copy(connected = complete && all.values.all { it.first }, upToDate = complete && all.values.all { it.second })
    }

    companion object {
        /** Failed rows are pruned 24 hours after they failed (contract §2). */
        const val FAILED_TTL_MS: Long = 24 * 60 * 60 * 1000L
    }
}
