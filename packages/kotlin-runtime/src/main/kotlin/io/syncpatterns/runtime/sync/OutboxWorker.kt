package io.syncpatterns.runtime.sync

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.isActive
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withTimeoutOrNull
import java.io.IOException

/** Sends one outbox row (the entity's create/update/delete with `Idempotency-Key: writeId`). */
interface OutboxSender {
    /** The HTTP answer; throw IOException for a network failure. */
    suspend fun send(row: OutboxRow): SendResult
}

/** Outbox state for the app's sync indicator (contract §2: errors are surfaced). */
data class OutboxStatus(
    /** Rows not acknowledged yet (waiting or being sent). */
    val pending: Int = 0,
    /** 0 or 1: the head of the queue while its request is out. */
    val inflight: Int = 0,
    /** Acknowledged rows waiting for their txid on the shape. */
    val awaitingSync: Int = 0,
    val lastError: SyncError? = null,
)

/**
 * The single drainer of the outbox (contract §2: one per database): drives [OutboxMachine] with
 * real time, sending one row at a time in global `seq` order over every table (the head waits for
 * its answer before the next row goes, and a head backing off holds the queue), sleeping until the
 * head is due or [wake] is called. Runs until its coroutine is cancelled; [persist] is called under
 * the lock after every state change so a store can write it transactionally.
 */
class OutboxWorker(
    val machine: OutboxMachine,
    private val sender: OutboxSender,
    private val persist: suspend (OutboxMachine) -> Unit = {},
    private val clock: () -> Long = System::currentTimeMillis,
    private val random: () -> Double = Math::random,
) {
    private val lock = Mutex()
    private val wakeups = Channel<Unit>(Channel.CONFLATED)
    private val state = MutableStateFlow(OutboxStatus())
    val status: StateFlow<OutboxStatus> = state.asStateFlow()

    /** Runs `block` on the machine under the lock, persists, refreshes [status] and wakes the loop. */
    suspend fun <T> update(block: OutboxMachine.() -> T): T = locked(block).also { wake() }

    private suspend fun <T> locked(block: OutboxMachine.() -> T): T =
        lock.withLock {
            val result = machine.block()
            persist(machine)
            val rows = machine.rows
            state.value =
                OutboxStatus(
                    rows.count { it.status == "pending" || it.status == "inflight" },
                    rows.count { it.status == "inflight" },
                    rows.count { it.status == "sent" },
                    machine.lastError,
                )
            result
        }

    fun wake() {
        wakeups.trySend(Unit)
    }

    /**
     * Drains the outbox until cancelled: sends the head, applies its answer, then looks again; with
     * nothing to send it sleeps until the head is due (not any later row: the head holds the queue).
     */
    suspend fun run() {
        while (currentCoroutineContext().isActive) {
            val row = locked { dispatch(clock()) }
            if (row != null) {
                val result = send(row)
                locked { response(row.writeId, result, clock(), random()) }
                continue
            }
            val next = lock.withLock { machine.nextDispatchAt() }
            val wait = if (next == null) Long.MAX_VALUE else (next - clock()).coerceAtLeast(1)
            withTimeoutOrNull(wait) { wakeups.receive() }
        }
    }

    /** Sends [row] outside the lock (writes keep going meanwhile); a network failure is a null status. */
    private suspend fun send(row: OutboxRow): SendResult =
        try {
            sender.send(row)
        } catch (e: CancellationException) {
            throw e
        } catch (e: IOException) {
            SendResult(null)
        }
}
