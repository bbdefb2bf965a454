package io.syncpatterns.runtime.sync

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * The Postgres snapshot a shape snapshot was read in, from Electric's `snapshot-end` control
 * message (`xmin`, `xmax`, `xip_list`). Snapshot rows carry no txids, so a write committed before
 * an `offset=-1` snapshot (the first sync, a must-refetch, or a write racing either) would never be
 * "seen" on the shape: a txid visible in the table's last snapshot is as good as seen (contract §3,
 * §5). Txids compare as numbers (Postgres `xid8`/`xid` text).
 */
data class PgSnapshot(
    val xmin: Long,
    val xmax: Long,
    val xip: Set<Long>,
) {
    /** Postgres visibility: [txid] committed before this snapshot was taken. */
    fun visible(txid: String): Boolean {
        val t = txid.trim().toLongOrNull() ?: return false
        if (t < xmin) return true
        return t < xmax && t !in xip
    }

    /** The `_sync_meta` form (the same JSON the React runtime stores). */
    fun toJson(): JsonObject =
        buildJsonObject {
            put("xmin", xmin.toString())
            put("xmax", xmax.toString())
            put("xip_list", JsonArray(xip.sorted().map { JsonPrimitive(it.toString()) }))
        }

    companion object {
        /** From a `snapshot-end` message's headers (or its stored form); null when xmin/xmax are missing. */
        fun of(headers: JsonObject): PgSnapshot? {
            fun num(v: Any?): Long? = (v as? JsonPrimitive)?.content?.trim()?.toLongOrNull()
            val xmin = num(headers["xmin"]) ?: return null
            val xmax = num(headers["xmax"]) ?: return null
            val xip = (headers["xip_list"] as? JsonArray)?.mapNotNull { num(it) }?.toSet() ?: emptySet()
            return PgSnapshot(xmin, xmax, xip)
        }
    }
}
