package io.syncpatterns.runtime.sync

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.text.SimpleDateFormat
import java.util.Date
import java.util.Locale
import java.util.TimeZone
import java.util.UUID

/**
 * Mapping local (Room) rows to model types. A pending local insert lacks what only the server
 * sets (`created_at`, a server default, …), yet the model declares those values non-null: the
 * insert stores *provisional* values for them in `T_local` — not in `_changed`, never in the
 * outbox payload — which the view shows until the shape brings the server's row.
 */
object LocalRows {
    /**
     * Adds [provisional] values for columns the local row of [pk] does not hold yet. Call it in the
     * insert's transaction, after [LocalWrites.insert]: `_changed`, `_write_id` and the outbox are
     * left as they are.
     */
    suspend fun fillProvisional(
        access: LocalTableAccess,
        pk: JsonPrimitive,
        provisional: Map<String, JsonElement>,
    ) {
        val local = access.readLocal(pk) ?: return
        val missing = provisional.filter { (name, _) -> local.values[name].let { it == null || it is JsonNull } }
        if (missing.isNotEmpty()) access.writeLocal(local.copy(values = JsonObject(local.values + missing)))
    }

    /** A required column's value, or a clear error naming it (a row the view should not show). */
    fun <T : Any> required(
        value: T?,
        table: String,
        column: String,
    ): T = value ?: throw IllegalStateException("$table: column $column is null in a local row, but the model requires it")

    /** Provisional `date-time`: the write's time, ISO-8601 in UTC with milliseconds. */
    fun timestamp(now: Long): JsonPrimitive = JsonPrimitive(format("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", now))

    /** Provisional `date`: the write's day in UTC. */
    fun date(now: Long): JsonPrimitive = JsonPrimitive(format("yyyy-MM-dd", now))

    /** Provisional `time`: the write's time of day in UTC. */
    fun time(now: Long): JsonPrimitive = JsonPrimitive(format("HH:mm:ss", now))

    /** Provisional `uuid`: a random one (lower-case). */
    fun uuid(): JsonPrimitive = JsonPrimitive(UUID.randomUUID().toString().lowercase())

    private fun format(
        pattern: String,
        now: Long,
    ): String =
        SimpleDateFormat(pattern, Locale.ROOT)
            .apply { timeZone = TimeZone.getTimeZone("UTC") }
            .format(Date(now))
}
