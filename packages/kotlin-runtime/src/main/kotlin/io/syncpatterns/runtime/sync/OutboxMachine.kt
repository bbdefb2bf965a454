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

/** The answer to one sent row: an HTTP status (null = network error) plus what it carried. */
data class SendResult(
    val status: Int?,
    /** From `x-sync-txid`, else a top-level body `txid` (see [txidOf]). */
    val txid: String? = null,
    val retryAfterMs: Long? = null,
)

/** A refused (4xx) write: what the sync status shows. */
data class SyncError(
    val writeId: String,
    val status: Int,
)

/**
 * The outbox state machine of sync-runtime-contract §2-4 (vector `outbox.json`), free of storage
 * and I/O: the worker persists [rows]/[failed]/[localWriteIds] after each event in one transaction and
 * settles the mutations listed in [resolved]/[rejected]. One FIFO over every table in global `seq`
 * order with one row in flight at a time, so the server sees writes in the order they were made
 * (a row created offline arrives before a row of another entity that references it); 2xx → sent
 * or reconciled; 4xx → rollback of the row and the later rows of its key, and the queue goes on;
 * 5xx/429/network → retry with full-jitter backoff, the head holding the queue until it is due.
 */
class OutboxMachine(
    private val policy: BackoffPolicy = BackoffPolicy(),
) {
    val rows = mutableListOf<OutboxRow>()
    val localWriteIds = linkedMapOf<String, String>()
    val seenTxids = linkedSetOf<String>()
    val resolved = mutableListOf<String>()
    val rejected = mutableListOf<Pair<String, Int?>>()
    val rolledBack = mutableListOf<String>()

    /**
     * Refused rows, out of the queue (contract §2: kept with `status = failed` and the error so
     * the app can show what was refused; never resent; the store prunes them after 24 hours).
     */
    val failed = mutableListOf<OutboxRow>()

    /** Write ids in the order they were handed to the transport (each retry counts again). */
    val sentLog = mutableListOf<String>()
    var lastError: SyncError? = null
        private set
    private var nextSeq = 1L

    fun enqueue(
        writeId: String,
        table: String,
        pk: String,
        op: String,
        confirmed: Boolean,
        now: Long,
    ) {
        val row = OutboxRow(nextSeq++, writeId, table, pk, op, confirmed, nextAttemptAt = now)
        rows += row
        localWriteIds[row.key] = writeId
        if (!confirmed) resolved += writeId
    }

    /**
     * The row to send now, marked `inflight`, or null. Nothing is sent while a row is in flight;
     * otherwise the head (the first row in `seq` order that is not `sent`) goes when it is due. A
     * head that is not due holds the queue: rows behind it wait, whatever their table.
     */
    fun dispatch(now: Long): OutboxRow? {
        val head = sendable() ?: return null
        if (head.nextAttemptAt > now) return null
        sentLog += head.writeId
        return replace(head.copy(status = "inflight"))
    }

    /**
     * When [dispatch] will have a row to send without any new event: the head's `nextAttemptAt`
     * (possibly in the past), or null while a row is in flight or nothing waits to be sent.
     */
    fun nextDispatchAt(): Long? = sendable()?.nextAttemptAt

    /** The pending head of the queue, when no row is in flight. */
    private fun sendable(): OutboxRow? =
        if (rows.any { it.status == "inflight" }) {
            null
        } else {
            rows.firstOrNull { it.status != "sent" }?.takeIf { it.status == "pending" }
        }

    fun response(
        writeId: String,
        result: SendResult,
        now: Long,
        random: Double,
    ) {
        val row = rows.firstOrNull { it.writeId == writeId && it.status == "inflight" } ?: return
        val status = result.status
        when {
            status != null && status in 200..299 -> {
                acked(row, result.txid)
            }

            status != null && status in 400..499 && status != 408 && status != 429 -> {
                refused(row, status)
            }

            else -> {
                val attempts = row.attempts + 1
                val delay = maxOf(policy.delayMs(attempts, random), if (status == 429) result.retryAfterMs ?: 0 else 0)
                replace(row.copy(status = "pending", attempts = attempts, nextAttemptAt = now + delay))
            }
        }
    }

    /** A shape batch carrying [txids] committed: reconcile every sent row with one of them. */
    fun seen(txids: Collection<String>) {
        seenTxids += txids
        rows.filter { it.status == "sent" && it.txid in seenTxids }.forEach(::reconcile)
    }

    /** Online again / app foreground / a successful shape request: every pending row is due now. */
    fun reconnect(now: Long) {
        rows.filter { it.status == "pending" }.forEach { replace(it.copy(nextAttemptAt = now)) }
    }

    /** The caller gave up on a pending confirmed write: roll it back and reject it (status null). */
    fun cancel(writeId: String) {
        val row = rows.firstOrNull { it.writeId == writeId && it.confirmed && it.status != "sent" } ?: return
        rollback(row)
        rejected += writeId to null
    }

    private fun acked(
        row: OutboxRow,
        txid: String?,
    ) {
        if (row.confirmed) resolved += row.writeId
        if (txid == null || txid in seenTxids) reconcile(row) else replace(row.copy(status = "sent", txid = txid))
    }

    private fun refused(
        row: OutboxRow,
        status: Int,
    ) {
        val doomed = rows.filter { it.key == row.key && it.seq >= row.seq }
        doomed.forEach { r ->
            rollback(r)
            failed += r.copy(status = "failed")
            if (r.confirmed) rejected += r.writeId to status
        }
        lastError = SyncError(row.writeId, status)
    }

    private fun reconcile(row: OutboxRow) {
        rows.removeAll { it.writeId == row.writeId }
        if (localWriteIds[row.key] == row.writeId) localWriteIds.remove(row.key)
    }

    private fun rollback(row: OutboxRow) {
        rows.removeAll { it.writeId == row.writeId }
        rolledBack += row.writeId
        if (localWriteIds[row.key] == row.writeId) {
            val latest = rows.lastOrNull { it.key == row.key }
            if (latest != null) localWriteIds[row.key] = latest.writeId else localWriteIds.remove(row.key)
        }
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
