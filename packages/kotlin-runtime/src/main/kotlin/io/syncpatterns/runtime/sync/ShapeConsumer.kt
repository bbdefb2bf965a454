package io.syncpatterns.runtime.sync

import io.syncpatterns.runtime.http.HttpRequest
import io.syncpatterns.runtime.http.HttpTransport
import io.syncpatterns.runtime.http.encodeQuery
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.isActive
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import java.io.IOException

/** Where a shape's rows and position live; [commit] is ONE transaction (contract §5). */
interface ShapeStore {
    /** The persisted handle and offset, or null for a first sync. */
    suspend fun position(table: String): Pair<String?, String>?

    /**
     * Applies a batch: for [ShapeAction.REFETCH] clear `T_synced` and the position (keep `T_local`
     * and the outbox); for [ShapeAction.APPLY] apply [changes]; always store [handle]/[offset] and
     * record [txids] as seen.
     */
    suspend fun commit(
        table: String,
        action: ShapeAction,
        changes: List<ShapeChange>,
        handle: String?,
        offset: String,
        txids: List<Long>,
    )
}

/** Shape feed state, for the app's sync indicator. */
data class ShapeStatus(
    val upToDate: Boolean = false,
    val connected: Boolean = false,
    val lastFailure: String? = null,
)

/**
 * Follows one Electric shape over HTTP long-polling (`live=true` once up to date) until its
 * coroutine is cancelled: structured concurrency, so cancelling the caller's scope stops it
 * between or during requests with nothing half-committed (each batch is one [ShapeStore.commit]).
 * Network failures and 5xx retry with full-jitter backoff; `onBatch` runs after each commit (the
 * outbox worker reconciles seen txids and treats it as a reconnect).
 */
class ShapeConsumer(
    private val transport: HttpTransport,
    private val electricUrl: String,
    private val table: String,
    private val store: ShapeStore,
    private val onBatch: suspend (txids: List<Long>) -> Unit = {},
    private val retry: BackoffPolicy = BackoffPolicy(baseMs = 1_000),
    private val random: () -> Double = Math::random,
) {
    private val state = MutableStateFlow(ShapeStatus())
    val status: StateFlow<ShapeStatus> = state.asStateFlow()

    /** Runs until cancelled. */
    suspend fun run() {
        val log = ShapeLog()
        store.position(table)?.let { (handle, offset) -> log.restore(handle, offset) }
        var failures = 0
        while (currentCoroutineContext().isActive) {
            val response =
                try {
                    transport.execute(HttpRequest("GET", electricUrl + encodeQuery(log.nextParams(table))))
                } catch (e: CancellationException) {
                    throw e
                } catch (e: IOException) {
                    null
                }
            if (response == null || response.status >= 500 || response.status == 429) {
                failures++
                state.value = state.value.copy(connected = false, lastFailure = response?.status?.toString() ?: "network")
                delay(retry.delayMs(failures, random()).coerceAtLeast(1))
                continue
            }
            failures = 0
            val body =
                response.bodyText().takeIf { it.isNotBlank() }?.let { Json.parseToJsonElement(it) as? JsonArray } ?: JsonArray(emptyList())
            val headers = response.headers.mapValues { it.value.firstOrNull().orEmpty() }
            val action = log.apply(ShapeResponse(response.status, headers, body))
            store.commit(table, action, log.changes, log.handle, log.offset, log.txids)
            state.value = ShapeStatus(upToDate = log.upToDate, connected = true)
            onBatch(log.txids)
        }
    }
}
