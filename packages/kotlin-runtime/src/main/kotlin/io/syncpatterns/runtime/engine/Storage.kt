package io.syncpatterns.runtime.engine

import io.syncpatterns.runtime.sync.ColumnSpec
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.longOrNull

/**
 * A column's value between its JSON wire form and its SQLite storage form (the agreement every
 * generated TypeConverter reads): text for text, UUIDs, decimals, dates, times and enums; JSON
 * text for `json`; INTEGER for integers and booleans (0/1); REAL for floats; base64 text for bytes.
 */
object Storage {
    fun toSql(
        column: ColumnSpec,
        value: JsonElement?,
    ): Any? {
        if (value == null || value is JsonNull) return null
        if (column.storage == "json") return value.toString()
        val p = value as? JsonPrimitive ?: return value.toString()
        return when (column.storage) {
            "int32", "int64" -> p.longOrNull ?: p.doubleOrNull?.toLong() ?: p.booleanOrNull?.let { if (it) 1L else 0L } ?: p.content
            "float", "double" -> p.doubleOrNull ?: p.content
            "boolean" -> p.booleanOrNull?.let { if (it) 1L else 0L } ?: p.longOrNull ?: (if (p.content == "t") 1L else 0L)
            else -> p.content
        }
    }

    fun fromSql(
        column: ColumnSpec,
        value: Any?,
    ): JsonElement {
        if (value == null) return JsonNull
        return when (column.storage) {
            "json" -> runCatching { Json.parseToJsonElement(value.toString()) }.getOrElse { JsonPrimitive(value.toString()) }
            "int32", "int64" -> (value as? Number)?.let { JsonPrimitive(it.toLong()) } ?: JsonPrimitive(value.toString())
            "float", "double" -> (value as? Number)?.let { JsonPrimitive(it.toDouble()) } ?: JsonPrimitive(value.toString())
            "boolean" -> JsonPrimitive((value as? Number)?.toLong()?.let { it != 0L } ?: (value.toString() == "true"))
            else -> JsonPrimitive(value.toString())
        }
    }
}
