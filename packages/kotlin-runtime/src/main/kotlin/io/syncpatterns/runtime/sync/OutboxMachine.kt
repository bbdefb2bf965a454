package io.syncpatterns.runtime.sync

/** An outbox row as the state machine sees it (the `_sync_outbox` columns that drive sending). */
data class OutboxRow(
    val seq: Long,
    val writeId: String,
    val table: String,
    val pk: String,
    val op: String,
    val confirmed: Boolean,
    val status: String = "pending",
    val attempts: Int = 0,
    val nextAttemptAt: Long,
    val txid: String? = null,
) {
    /** `<table>/<pk>`: the key whose `T_local._write_id` this row may own. */
    val key: String get() = "$table/$pk"
}

/** The answer to one sent row: an HTTP status (null = no answer: network error or timeout). */
data class SendResult(
    val status: Int?,
    /** From `x-sync-txid`, else a top-level body `txid` (see [txidOf]). */
    val txid: String? = null,
    val retryAfterMs: Long? = null,
    /** The response body (a refused write's error, a confirmed write's server row). */
    val body: String? = null,
)

/** A refused (4xx) write: what the sync status shows. */
data class SyncError(
    val writeId: String,
    val status: Int,
)

/**
 * The outbox state machine of sync-runtime-contract §2-4 (vector `outbox.json`), free of storage
 * and I/O. One FIFO over every table in global `seq` order with one row in flight at a time, so
 * the server sees writes in the order they were made; 2xx → sent or reconciled; 4xx → rollback of
 * the row and the later rows of its key, each kept as `failed`, and the queue goes on (404 on a
 * delete is a success, 404 hides the key until the shape confirms); 5xx/429/network/timeout →
 * retry with full-jitter backoff, the head holding the queue until it is due.
 *
 * Every storage effect is also appended to [effects], in order, so a store ([SyncEngine]) applies
 * exactly what the machine decided to `_sync_outbox` and `T_local` in the same transaction.
 */
class OutboxMachine(
    private val policy: BackoffPolicy = BackoffPolicy(),
) {
    /** Outbox rows in `seq` order, `failed` ones included (kept until discarded). */
    val rows = mutableListOf<OutboxRow>()

    /** `<table>/<pk>` → `T_local._write_id`. */
    val localWriteIds = linkedMapOf<String, String>()
    val seenTxids = linkedSetOf<String>()

    /**
     * Table → the snapshot its `T_synced` was last built from (`snapshot-end`): a txid visible in
     * it is in the synced rows although no change message will ever carry it.
     */
    val snapshots = mutableMapOf<String, PgSnapshot>()
    val resolved = mutableListOf<String>()
    val rejected = mutableListOf<Pair<String, Int?>>()
    val rolledBack = mutableListOf<String>()

    /** Keys hidden until the shape confirms (a 404 tombstone). */
    val hidden = linkedSetOf<String>()

    /** Write ids in the order they were handed to the transport (each retry counts again). */
    val sentLog = mutableListOf<String>()

    /** Storage effects not yet applied by the store (drained with [takeEffects]). */
    private val effects = mutableListOf<OutboxEffect>()

    var lastError: SyncError? = null
        private set

    /** The last request got no HTTP answer: the next success elsewhere is a reconnect. */
    var unreachable: Boolean = false
        private set
    private var nextSeq = 1L

    /** Refused rows (contract §2: kept with `status = failed`, never resent). */
    val failed: List<OutboxRow> get() = rows.filter { it.status == "failed" }

    /** A write through the view; an optimistic write resolves at once. */
    fun enqueue(
        writeId: String,
        table: String,
        pk: String,
        op: String,
        confirmed: Boolean,
        now: Long,
    ) {
        adopt(OutboxRow(nextSeq, writeId, table, pk, op, confirmed, nextAttemptAt = now))
        if (!confirmed) resolved += writeId
    }

    /**
     * Takes a row the store already holds (loaded at start, or appended by a write through the
     * view): a later row of its key owns the key's write id, and the key is no longer hidden.
     */
    fun adopt(row: OutboxRow) {
        rows += row
        nextSeq = maxOf(nextSeq, row.seq + 1)
        if (row.status != "failed") {
            localWriteIds[row.key] = row.writeId
            hidden.remove(row.key)
        }
    }

    /**
     * The row to send now, marked `inflight`, or null. Nothing is sent while a row is in flight;
     * otherwise the head (the first row in `seq` order that is neither `sent` nor `failed`) goes
     * when it is due. A head that is not due holds the queue: rows behind it wait.
     */
    fun dispatch(now: Long): OutboxRow? {
        val head = sendable() ?: return null
        if (head.nextAttemptAt > now) return null
        sentLog += head.writeId
        return replace(head.copy(status = "inflight")).also { effects += OutboxEffect.Update(it) }
    }

    /** When [dispatch] will have a row to send without a new event, or null. */
    fun nextDispatchAt(): Long? = sendable()?.nextAttemptAt

    private fun sendable(): OutboxRow? =
        if (rows.any { it.status == "inflight" }) {
            null
        } else {
            rows.firstOrNull { it.status != "sent" && it.status != "failed" }?.takeIf { it.status == "pending" }
        }

    /** The answer to an inflight row. A null status is a network error or a timeout. */
    fun response(
        writeId: String,
        result: SendResult,
        now: Long,
        random: Double,
    ) {
        val row = rows.firstOrNull { it.writeId == writeId && it.status == "inflight" } ?: return
        val status = result.status
        when {
            status == null -> {
                retryLater(row, now, random, null, network = true)
            }

            status in 200..299 -> {
                acknowledge(row, result.txid)
            }

            status == 429 || status >= 500 || status == 408 -> {
                retryLater(row, now, random, if (status == 429) result.retryAfterMs else null, network = false)
            }

            else -> {
                refuse(row, status, result.body)
            }
        }
    }

    private fun acknowledge(
        row: OutboxRow,
        txid: String?,
    ) {
        unreachable = false
        lastError = null
        if (row.confirmed) resolved += row.writeId
        if (txid == null || txid in seenTxids || snapshots[row.table]?.visible(txid) == true) {
            reconcile(row)
        } else {
            replace(row.copy(status = "sent", txid = txid))
            effects += OutboxEffect.Update(rows.first { it.writeId == row.writeId })
        }
    }

    private fun refuse(
        row: OutboxRow,
        status: Int,
        body: String?,
    ) {
        unreachable = false
        if (status == 404 && row.op == "delete") {
            rows.removeAll { it.writeId == row.writeId }
            effects += OutboxEffect.Delete(row)
            if (row.confirmed) resolved += row.writeId
            lastError = null
            if (localWriteIds[row.key] == row.writeId) {
                localWriteIds.remove(row.key)
                hide(row)
            }
            return
        }
        lastError = SyncError(row.writeId, status)
        val doomed = rows.filter { it.key == row.key && it.seq >= row.seq && it.status != "failed" }
        doomed.forEach { r ->
            rollback(r, failed = FailedWrite.Refusal(status, body))
            if (r.confirmed) rejected += r.writeId to status
        }
        if (status == 404 && row.op == "update") {
            localWriteIds.remove(row.key)
            hide(row)
        }
    }

    private fun hide(row: OutboxRow) {
        hidden += row.key
        effects += OutboxEffect.Hide(row.table, row.pk)
    }

    private fun retryLater(
        row: OutboxRow,
        now: Long,
        random: Double,
        retryAfterMs: Long?,
        network: Boolean,
    ) {
        unreachable = network
        val attempts = row.attempts + 1
        val delay = maxOf(policy.delayMs(attempts, random), retryAfterMs ?: 0)
        effects += OutboxEffect.Update(replace(row.copy(status = "pending", attempts = attempts, nextAttemptAt = now + delay)))
    }

    /** A shape batch carrying [txids] committed: reconcile every sent row with one of them. */
    fun seen(txids: Collection<String>) {
        seenTxids += txids
        rows.filter { it.status == "sent" && it.txid in seenTxids }.forEach(::reconcile)
    }

    /**
     * Sent rows known to be in the server's rows although their txid was never seen (acknowledged
     * before a must-refetch's snapshot was taken): reconciled like seen ones.
     */
    fun reconcileSent(writeIds: Collection<String>) {
        rows.filter { it.status == "sent" && it.writeId in writeIds }.forEach(::reconcile)
    }

    /**
     * [table]'s `T_synced` now holds the snapshot [snapshot] (a first sync, or a must-refetch swapped
     * in): its sent rows whose txid is visible in it are reconciled, and later answers are checked
     * against it. Null forgets the table's snapshot (a must-refetch began).
     */
    fun snapshotApplied(
        table: String,
        snapshot: PgSnapshot?,
    ) {
        if (snapshot == null) {
            snapshots.remove(table)
            return
        }
        snapshots[table] = snapshot
        rows.filter { it.status == "sent" && it.table == table && it.txid != null && snapshot.visible(it.txid) }.forEach(::reconcile)
    }

    /** Online again / app foreground / a probe answered: every pending row is due now. */
    fun reconnect(now: Long) {
        unreachable = false
        rows.filter { it.status == "pending" }.forEach { effects += OutboxEffect.Update(replace(it.copy(nextAttemptAt = now))) }
    }

    /** A shape response: a reconnect only when it is the first success after a request got no answer. */
    fun channelSucceeded(now: Long) {
        if (unreachable) reconnect(now)
    }

    /** A shape request got no answer. */
    fun channelFailed() {
        unreachable = true
    }

    /** The shape delivered the delete of a hidden key: it is forgotten. */
    fun shapeDeleted(
        table: String,
        pk: String,
    ) {
        hidden.remove("$table/$pk")
    }

    /** The app discarded a failed write (errors API). Returns false when it is not a failed row. */
    fun discard(writeId: String): Boolean {
        val row = rows.firstOrNull { it.writeId == writeId && it.status == "failed" } ?: return false
        rows.remove(row)
        effects += OutboxEffect.Delete(row)
        return true
    }

    /** The caller gave up on a write not yet acknowledged: roll it back (deleted) and reject it (status null). */
    fun cancel(writeId: String) {
        val row = rows.firstOrNull { it.writeId == writeId && it.status != "sent" && it.status != "failed" } ?: return
        rollback(row, failed = null)
        if (row.confirmed) rejected += writeId to null
    }

    /** The storage effects decided since the last call, in order. */
    fun takeEffects(): List<OutboxEffect> = effects.toList().also { effects.clear() }

    private fun reconcile(row: OutboxRow) {
        rows.removeAll { it.writeId == row.writeId }
        val owned = localWriteIds[row.key] == row.writeId
        if (owned) localWriteIds.remove(row.key)
        effects += OutboxEffect.Reconcile(row, owned)
    }

    /** The row leaves the queue (kept as `failed` when refused); the key falls back to its latest remaining write. */
    private fun rollback(
        row: OutboxRow,
        failed: FailedWrite.Refusal?,
    ) {
        if (failed != null) replace(row.copy(status = "failed")) else rows.removeAll { it.writeId == row.writeId }
        rolledBack += row.writeId
        val owned = localWriteIds[row.key] == row.writeId
        if (owned) {
            val latest = rows.lastOrNull { it.key == row.key && it.status != "failed" }
            if (latest != null) localWriteIds[row.key] = latest.writeId else localWriteIds.remove(row.key)
        }
        effects += OutboxEffect.Rollback(row, failed, owned)
    }

    private fun replace(row: OutboxRow): OutboxRow {
        rows[rows.indexOfFirst { it.writeId == row.writeId }] = row
        return row
    }

    companion object {
        /** The txid of a 2xx answer: header `x-sync-txid`, else a top-level `txid` (number or string). */
        fun txidOf(
            header: String?,
            bodyTxid: String?,
        ): String? = header?.takeIf { it.isNotBlank() } ?: bodyTxid
    }
}

/** Why a write failed, as the errors API reports it. */
sealed interface FailedWrite {
    /** The server refused it with [status]; [body] is its answer. */
    data class Refusal(
        val status: Int,
        val body: String?,
    ) : FailedWrite
}

/** What the store must do to `_sync_outbox` and `T_local` after a machine event. */
sealed interface OutboxEffect {
    /** The row's status, attempts, next attempt or txid changed. */
    data class Update(
        val row: OutboxRow,
    ) : OutboxEffect

    /** The row leaves `_sync_outbox` (404 delete, discard). */
    data class Delete(
        val row: OutboxRow,
    ) : OutboxEffect

    /** The row is reconciled: deleted, and the key's overrides dropped when [owned] (contract §3). */
    data class Reconcile(
        val row: OutboxRow,
        val owned: Boolean,
    ) : OutboxEffect

    /**
     * The row is rolled back: kept as `failed` with [refusal], or deleted when cancelled; when
     * [owned], `T_local` is restored from the key's remaining writes (contract §2).
     */
    data class Rollback(
        val row: OutboxRow,
        val refusal: FailedWrite.Refusal?,
        val owned: Boolean,
    ) : OutboxEffect

    /** The key becomes a tombstone until the shape's delete (404). */
    data class Hide(
        val table: String,
        val pk: String,
    ) : OutboxEffect
}
