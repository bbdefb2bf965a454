package io.syncpatterns.runtime.sync

/**
 * Where a row stands against the server (sync-runtime-contract §1-2), kept beside the model so the
 * model type is the same in push and live mode.
 */
enum class RowState {
    /** What the server last sent (push mode: always). */
    SYNCED,

    /** A local write of this row is waiting for the server (outbox `pending`/`inflight`/`sent`). */
    PENDING,

    /** The server refused a write of this row; it was rolled back and is listed in the failed writes. */
    FAILED,
}

/** A model value and its [RowState]: `observeAllWithState()` of every repository emits these. */
data class Synced<out T>(
    val value: T,
    val state: RowState,
) {
    val isPending: Boolean get() = state == RowState.PENDING
    val isFailed: Boolean get() = state == RowState.FAILED

    companion object {
        /** The state of a view row: pending wins over an older failed write of the same key. */
        fun stateOf(
            pending: Boolean,
            failed: Boolean,
        ): RowState =
            when {
                pending -> RowState.PENDING
                failed -> RowState.FAILED
                else -> RowState.SYNCED
            }
    }
}
