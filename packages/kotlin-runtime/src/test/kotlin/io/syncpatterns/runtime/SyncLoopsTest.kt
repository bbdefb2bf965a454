package io.syncpatterns.runtime

import io.syncpatterns.runtime.http.HttpRequest
import io.syncpatterns.runtime.http.HttpResponse
import io.syncpatterns.runtime.http.HttpTransport
import io.syncpatterns.runtime.sync.BackoffPolicy
import io.syncpatterns.runtime.sync.OutboxMachine
import io.syncpatterns.runtime.sync.OutboxRow
import io.syncpatterns.runtime.sync.OutboxSender
import io.syncpatterns.runtime.sync.OutboxStatus
import io.syncpatterns.runtime.sync.OutboxWorker
import io.syncpatterns.runtime.sync.SendResult
import io.syncpatterns.runtime.sync.ShapeAction
import io.syncpatterns.runtime.sync.ShapeChange
import io.syncpatterns.runtime.sync.ShapeConsumer
import io.syncpatterns.runtime.sync.ShapeStore
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.IOException

/** The coroutine loops over fakes: long-polling bookkeeping, retries, global FIFO sending, cancellation. */
class SyncLoopsTest {
    private val schema = """{"id":{"type":"int4"},"title":{"type":"text"}}"""

    private fun response(
        status: Int,
        headers: Map<String, String>,
        body: String,
    ) = HttpResponse(status, headers.mapValues { listOf(it.value) }, body.encodeToByteArray())

    @Test
    fun `shape consumer long-polls, commits each batch, survives a network error and stops on cancel`() =
        runBlocking {
            val urls = mutableListOf<String>()
            val parked = CompletableDeferred<Unit>()
            val script =
                ArrayDeque<() -> HttpResponse>(
                    listOf(
                        {
                            response(
                                200,
                                mapOf("electric-handle" to "h1", "electric-offset" to "0_0", "electric-schema" to schema),
                                """[{"headers":{"operation":"insert"},"key":"1","value":{"id":"1","title":"a"}},{"headers":{"control":"up-to-date"}}]""",
                            )
                        },
                        { throw IOException("offline") },
                        {
                            response(
                                200,
                                mapOf("electric-handle" to "h1", "electric-offset" to "5_0", "electric-cursor" to "1"),
                                """[{"headers":{"operation":"update","txids":[77]},"key":"1","value":{"id":"1","title":"b"}},{"headers":{"control":"up-to-date"}}]""",
                            )
                        },
                    ),
                )
            val transport =
                object : HttpTransport {
                    override suspend fun execute(request: HttpRequest): HttpResponse {
                        urls += request.url
                        val next =
                            script.removeFirstOrNull() ?: run {
                                parked.complete(Unit)
                                awaitCancellation()
                            }
                        return next()
                    }
                }
            val commits = mutableListOf<Triple<ShapeAction, List<ShapeChange>, String>>()
            val store =
                object : ShapeStore {
                    override suspend fun position(table: String) = null

                    override suspend fun commit(
                        table: String,
                        action: ShapeAction,
                        changes: List<ShapeChange>,
                        handle: String?,
                        offset: String,
                        txids: List<Long>,
                    ) {
                        commits += Triple(action, changes, offset)
                    }
                }
            val seen = mutableListOf<Long>()
            val consumer = ShapeConsumer(transport, "http://e/v1/shape", "todos", store, { seen += it }, BackoffPolicy(baseMs = 5), { 0.5 })
            val job = launch { consumer.run() }
            withTimeout(5_000) { parked.await() }
            assertTrue(consumer.status.first().upToDate)
            job.cancelAndJoin()
            assertTrue(job.isCancelled)
            assertEquals(listOf(ShapeAction.APPLY, ShapeAction.APPLY), commits.map { it.first })
            assertEquals(
                "b",
                commits[1]
                    .second
                    .single()
                    .value["title"]
                    .toString()
                    .trim('"'),
            )
            assertEquals(listOf(77L), seen)
            assertEquals("http://e/v1/shape?table=todos&offset=-1", urls[0])
            assertEquals("http://e/v1/shape?table=todos&offset=0_0&handle=h1&live=true", urls[1])
            assertEquals(urls[1], urls[2])
            assertEquals("http://e/v1/shape?table=todos&offset=5_0&handle=h1&live=true", urls[3])
        }

    @Test
    fun `outbox worker sends in seq order, retries a 503 and stops on cancel`() =
        runBlocking {
            val sent = mutableListOf<String>()
            val answers = ArrayDeque(listOf(503, 201, 201))
            val sender =
                object : OutboxSender {
                    override suspend fun send(row: OutboxRow): SendResult {
                        sent += row.writeId
                        return SendResult(answers.removeFirst(), txid = if (answers.size < 2) "9${sent.size}" else null)
                    }
                }
            val worker = OutboxWorker(OutboxMachine(BackoffPolicy(baseMs = 20)), sender, random = { 1.0 })
            val job = launch { worker.run() }
            worker.update {
                enqueue("w1", "todos", "1", "insert", confirmed = false, now = System.currentTimeMillis())
                enqueue("w2", "todos", "1", "update", confirmed = false, now = System.currentTimeMillis())
            }
            withTimeout(5_000) { worker.status.first { it.awaitingSync == 2 } }
            assertEquals(listOf("w1", "w1", "w2"), sent)
            worker.update { seen(rows.mapNotNull { it.txid }) }
            assertEquals(OutboxStatus(), worker.status.value)
            job.cancelAndJoin()
            assertTrue(job.isCancelled)
        }

    /** Outbox rows of two tables, enqueued interleaved (`lists` sorts before `todos`, its first row is w2). */
    private fun OutboxMachine.enqueueInterleaved(vararg writeIds: String) {
        val now = System.currentTimeMillis()
        writeIds.forEachIndexed { i, writeId ->
            val table = if (i % 2 == 0) "todos" else "lists"
            enqueue(writeId, table, "${i / 2 + 1}", "insert", confirmed = false, now = now)
        }
    }

    @Test
    fun `outbox worker sends the rows of every table in seq order, one request at a time`() =
        runBlocking {
            val calls = Channel<Pair<OutboxRow, CompletableDeferred<SendResult>>>(Channel.UNLIMITED)
            val sender =
                object : OutboxSender {
                    override suspend fun send(row: OutboxRow): SendResult {
                        val answer = CompletableDeferred<SendResult>()
                        calls.send(row to answer)
                        return answer.await()
                    }
                }
            val worker = OutboxWorker(OutboxMachine(), sender)
            val job = launch { worker.run() }
            worker.update { enqueueInterleaved("w1", "w2", "w3", "w4") }
            listOf("w1", "w2", "w3", "w4").forEachIndexed { i, writeId ->
                val (row, answer) = withTimeout(5_000) { calls.receive() }
                assertEquals(writeId, row.writeId)
                delay(50) // room for a second request, were the worker to allow one
                val overlapping = calls.tryReceive().getOrNull()
                assertNull(overlapping, "${overlapping?.first?.writeId} sent while $writeId was in flight")
                assertEquals(1, worker.status.value.inflight)
                answer.complete(SendResult(201, txid = "${100 + i}"))
            }
            withTimeout(5_000) { worker.status.first { it.awaitingSync == 4 } }
            job.cancelAndJoin()
        }

    @Test
    fun `a retryable failure of the head holds the rows of other tables until it is answered`() =
        runBlocking {
            val sent = mutableListOf<Pair<String, Long>>()
            val answers = ArrayDeque(listOf(503, 201, 201))
            var persisted = 0
            val sender =
                object : OutboxSender {
                    override suspend fun send(row: OutboxRow): SendResult {
                        sent += row.writeId to System.currentTimeMillis()
                        return SendResult(answers.removeFirst(), txid = "7${sent.size}")
                    }
                }
            val machine = OutboxMachine(BackoffPolicy(baseMs = 200))
            val worker = OutboxWorker(machine, sender, persist = { persisted++ }, random = { 1.0 })
            val job = launch { worker.run() }
            worker.update { enqueueInterleaved("w1", "w2") }
            withTimeout(5_000) { worker.status.first { it.awaitingSync == 2 } }
            assertEquals(listOf("w1", "w1", "w2"), sent.map { it.first })
            assertTrue(sent[1].second - sent[0].second >= 200, "the head waited for its backoff: $sent")
            // The due w2 behind the backing-off head must not make the loop spin until the head is due.
            assertTrue(persisted < 40, "$persisted state changes")
            job.cancelAndJoin()
        }

    @Test
    fun `a refused head leaves the queue and the rows of other tables go on`() =
        runBlocking {
            val sent = mutableListOf<String>()
            val answers = ArrayDeque(listOf(422, 201))
            val sender =
                object : OutboxSender {
                    override suspend fun send(row: OutboxRow): SendResult {
                        sent += row.writeId
                        return SendResult(answers.removeFirst(), txid = "8${sent.size}")
                    }
                }
            val worker = OutboxWorker(OutboxMachine(), sender)
            val job = launch { worker.run() }
            worker.update { enqueueInterleaved("w1", "w2") }
            withTimeout(5_000) { worker.status.first { it.awaitingSync == 1 } }
            assertEquals(listOf("w1", "w2"), sent)
            // Contract §2: `lastError` is cleared by the next successful write (w2's 201).
            assertEquals(OutboxStatus(awaitingSync = 1, lastError = null), worker.status.value)
            assertEquals(listOf("w1"), worker.update { failed.map { it.writeId } })
            job.cancelAndJoin()
        }
}
