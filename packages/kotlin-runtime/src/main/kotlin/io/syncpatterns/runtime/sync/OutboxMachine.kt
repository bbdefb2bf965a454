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
 * settles the mutations listed in [resolved]/[rejected]. FIFO per table, one row in flight per
 * table, tables in name order; 2xx → sent or reconciled; 4xx → rollback of the row and the later
 * rows of its key; 5xx/429/network → retry with full-jitter backoff.
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

    /** Rows to send now: per table (name order) its first unsent row, if pending, due and nothing is in flight. */
    fun dispatch(now: Long): List<OutboxRow> =
        rows.groupBy { it.table }.toSortedMap().values.mapNotNull { tableRows ->
            if (tableRows.any { it.status == "inflight" }) return@mapNotNull null
            val first = tableRows.firstOrNull { it.status != "sent" } ?: return@mapNotNull null
            if (first.status != "pending" || first.nextAttemptAt > now) return@mapNotNull null
            sentLog += first.writeId
            replace(first.copy(status = "inflight"))
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
