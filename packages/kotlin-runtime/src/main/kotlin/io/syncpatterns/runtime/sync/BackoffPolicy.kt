package io.syncpatterns.runtime.sync

import kotlin.math.floor
import kotlin.math.min
import kotlin.math.pow

/**
 * Outbox retry delay with full jitter (sync-runtime-contract §2):
 * `floor(random * min(maxMs, baseMs * factor^(attempt-1)))`. [random] is injectable so the shared
 * vectors (`backoff.json`) pin it.
 */
data class BackoffPolicy(
    val baseMs: Long = 500,
    val factor: Double = 2.0,
    val maxMs: Long = 30_000,
) {
    fun delayMs(
        attempt: Int,
        random: Double,
    ): Long {
        val cap = min(maxMs.toDouble(), baseMs * factor.pow((attempt - 1).coerceAtLeast(0)))
        return floor(random * cap).toLong()
    }

    /** The delay to wait after a 429, honouring `Retry-After` (seconds) when it is longer. */
    fun delayAfter429Ms(
        attempt: Int,
        random: Double,
        retryAfterSeconds: Long?,
    ): Long = maxOf(delayMs(attempt, random), (retryAfterSeconds ?: 0) * 1000)
}
