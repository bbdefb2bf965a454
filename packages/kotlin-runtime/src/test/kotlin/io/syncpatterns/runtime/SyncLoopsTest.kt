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
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.IOException

/** The coroutine loops over fakes: long-polling bookkeeping, retries, FIFO sending, cancellation. */
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
    fun `outbox worker sends FIFO per table, retries a 503 and stops on cancel`() =
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
}
