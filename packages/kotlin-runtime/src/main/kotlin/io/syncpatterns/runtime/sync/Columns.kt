package io.syncpatterns.runtime.sync

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.longOrNull

/**
 * Conversions between a row's JSON values (wire form) and Room column values (storage form), so
 * generated row mappings are one call per column: text-like storage as text, `json` as JSON text,
 * numbers and booleans as themselves.
 */
object Columns {
    private fun primitive(
        values: JsonObject,
        name: String,
    ): JsonPrimitive? = (values[name] as? JsonPrimitive)?.takeIf { it !is JsonNull }

    fun text(
        values: JsonObject,
        name: String,
    ): String? =
        when (val v = values[name]) {
            null, JsonNull -> null
            is JsonPrimitive -> v.content
            else -> v.toString()
        }

    fun int(
        values: JsonObject,
        name: String,
    ): Int? = primitive(values, name)?.intOrNull

    fun long(
        values: JsonObject,
        name: String,
    ): Long? = primitive(values, name)?.longOrNull

    fun double(
        values: JsonObject,
        name: String,
    ): Double? = primitive(values, name)?.doubleOrNull

    fun float(
        values: JsonObject,
        name: String,
    ): Float? = primitive(values, name)?.doubleOrNull?.toFloat()

    fun bool(
        values: JsonObject,
        name: String,
    ): Boolean? = primitive(values, name)?.let { it.booleanOrNull ?: (it.content == "1") }

    /** A `json` column: the value's JSON text (`["a","b"]`). */
    fun json(
        values: JsonObject,
        name: String,
    ): String? = values[name]?.takeIf { it !is JsonNull }?.toString()

    fun put(
        out: MutableMap<String, JsonElement>,
        name: String,
        value: Any?,
    ) {
        out[name] =
            when (value) {
                null -> JsonNull
                is String -> JsonPrimitive(value)
                is Number -> JsonPrimitive(value)
                is Boolean -> JsonPrimitive(value)
                else -> JsonPrimitive(value.toString())
            }
    }

    /** Stores a `json` column's text back as a JSON value. */
    fun putJson(
        out: MutableMap<String, JsonElement>,
        name: String,
        text: String?,
    ) {
        out[name] = if (text == null) JsonNull else Json.parseToJsonElement(text)
    }

    /** `_changed` as stored: a compact JSON array of column names. */
    fun changedText(names: List<String>): String =
        kotlinx.serialization.json
            .JsonArray(names.map(::JsonPrimitive))
            .toString()

    fun changedList(text: String): List<String> =
        (Json.parseToJsonElement(text) as kotlinx.serialization.json.JsonArray).map {
            (it as JsonPrimitive).content
        }
}
