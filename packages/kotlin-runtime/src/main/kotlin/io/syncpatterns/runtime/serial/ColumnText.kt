package io.syncpatterns.runtime.serial

import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.decodeFromJsonElement
import kotlinx.serialization.json.encodeToJsonElement

/**
 * Column values of the local database in their JSON wire form (what the shape and the outbox
 * carry): scalars as text (an enum's value, a decimal's digits), nested objects and arrays as JSON
 * text. Generated Room `@TypeConverter`s read model types out of them through [SyncJson], so an
 * unknown enum value becomes its `UNKNOWN` entry exactly as in an API response.
 */
object ColumnText {
    /** A scalar column (enum, decimal) as its model type; null stays null. */
    inline fun <reified T> scalar(text: String?): T? = text?.let { SyncJson.decodeFromJsonElement<T>(JsonPrimitive(it)) }

    /** A JSON column (object, array, map, union) as its model type; null stays null. */
    inline fun <reified T> json(text: String?): T? = text?.let { SyncJson.decodeFromString<T>(it) }

    /**
     * Puts a typed column value back in wire form into [out] (null as JSON null). A value that
     * cannot be encoded — an enum's `UNKNOWN` entry, whose original text is not kept — is left out:
     * its current value is unknown, so any value written to it counts as a change.
     */
    inline fun <reified T> put(
        out: MutableMap<String, JsonElement>,
        name: String,
        value: T?,
    ) {
        if (value == null) {
            out[name] = JsonNull
            return
        }
        try {
            out[name] = SyncJson.encodeToJsonElement<T>(value)
        } catch (e: SerializationException) {
            // UNKNOWN enum entry: left out on purpose (see above).
        }
    }
}
