package io.syncpatterns.runtime.sync

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.longOrNull

/** What one shape response asks the database to do (contract §5). */
enum class ShapeAction { APPLY, REFETCH, NONE }

/** One change of a batch, values parsed (`update` carries only the changed columns). */
data class ShapeChange(
    val op: String,
    val key: String,
    val value: JsonObject,
)

/** One response of `GET <electricUrl>?table=…` as the consumer sees it. */
class ShapeResponse(
    val status: Int,
    /** Header names lower-case. */
    val headers: Map<String, String>,
    /** The JSON array of messages (empty for a bodiless answer). */
    val body: JsonArray,
)

/**
 * The handle/offset bookkeeping and row application of ONE shape (sync-runtime-contract §5;
 * vector `shape-log.json`), free of I/O so every transport and store reuses it: the consumer
 * feeds responses, then writes [rows] changes, [handle], [offset] and [txids] in one transaction.
 */
class ShapeLog(
    /** Keep the rows in memory ([rows]); a store that applies [changes] itself passes false. */
    private val keepRows: Boolean = true,
) {
    var handle: String? = null
        private set
    var offset: String = "-1"
        private set
    var upToDate: Boolean = false
        private set
    private var schema: Map<String, PgType> = emptyMap()
    private val byKey = LinkedHashMap<String, JsonObject>()

    /** The current rows, values parsed with the shape's `electric-schema`. */
    val rows: List<JsonObject> get() = byKey.values.toList()

    /** Txids carried by the last applied batch (recorded in `_sync_seen_txids`, contract §3). */
    var txids: List<Long> = emptyList()
        private set

    /** The `snapshot-end` of the last response, when it ended a snapshot (`offset=-1` read). */
    var snapshotEnd: PgSnapshot? = null
        private set

    /** The changes of the last response, in order (what a store applies to `T_synced`). */
    var changes: List<ShapeChange> = emptyList()
        private set

    /** Resumes from a persisted position (`_sync_shapes`) after a restart. */
    fun restore(
        handle: String?,
        offset: String,
    ) {
        this.handle = handle
        this.offset = offset
    }

    fun apply(response: ShapeResponse): ShapeAction {
        txids = emptyList()
        changes = emptyList()
        snapshotEnd = null
        if (response.status == 409) return refetch(response.headers["electric-handle"])
        if (response.status !in 200..299) return ShapeAction.NONE
        response.headers["electric-schema"]?.let { schema = ShapeValues.schema(it) }
        var changed = false
        var sawUpToDate = "electric-up-to-date" in response.headers
        val seen = mutableListOf<Long>()
        val batch = mutableListOf<ShapeChange>()
        var ended: PgSnapshot? = null
        for (message in response.body.map { it.jsonObject }) {
            val headers = message["headers"]?.jsonObject ?: JsonObject(emptyMap())
            when (headers["control"]?.jsonPrimitive?.content) {
                "must-refetch" -> return refetch(null)
                "up-to-date" -> sawUpToDate = true
                "snapshot-end" -> ended = PgSnapshot.of(headers) ?: ended
            }
            val op = headers["operation"]?.jsonPrimitive?.content ?: continue
            val key = message["key"]?.jsonPrimitive?.content ?: continue
            (headers["txids"] as? JsonArray)?.mapNotNullTo(seen) { (it as? JsonPrimitive)?.longOrNull }
            val value = ShapeValues.row(schema, message["value"]?.jsonObject ?: JsonObject(emptyMap()))
            batch += ShapeChange(op, key, value)
            if (keepRows) {
                when (op) {
                    "insert" -> byKey[key] = value
                    "update" -> byKey[key] = JsonObject((byKey[key] ?: JsonObject(emptyMap())) + value)
                    "delete" -> byKey.remove(key)
                }
            }
            changed = true
        }
        response.headers["electric-handle"]?.let { handle = it }
        response.headers["electric-offset"]?.let { offset = it }
        upToDate = upToDate || sawUpToDate
        txids = seen
        changes = batch
        snapshotEnd = ended
        return if (changed) ShapeAction.APPLY else ShapeAction.NONE
    }

    /** must-refetch: forget rows and position (T_local and the outbox are kept by the caller). */
    private fun refetch(newHandle: String?): ShapeAction {
        byKey.clear()
        handle = newHandle
        offset = "-1"
        upToDate = false
        return ShapeAction.REFETCH
    }

    /** The query parameters of the next request (`live=true` once up to date). */
    fun nextParams(table: String): List<Pair<String, String>> =
        buildList {
            add("table" to table)
            add("offset" to offset)
            handle?.let { add("handle" to it) }
            if (upToDate) add("live" to "true")
        }

    /** Raw JSON of the rows, for tests and debugging. */
    fun snapshot(): JsonElement = JsonArray(rows)
}
