package io.syncpatterns.runtime.sync

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/** One column's type from Electric's `electric-schema` header (`{"type":"int4","dims":1}`). */
data class PgType(
    val type: String,
    val dims: Int = 0,
)

/**
 * Parses Electric's text values by column type (sync-runtime-contract §5, vector
 * `shape-values.json`): ints and floats become numbers, `int8` a 64-bit integer, `numeric` stays a
 * decimal string, `bool` `t`/`f` a boolean, json parsed, everything else text; `dims: 1` arrays
 * (`{a,b}`) become JSON arrays.
 */
object ShapeValues {
    /** Column types of an `electric-schema` header value. */
    fun schema(header: String): Map<String, PgType> =
        Json.parseToJsonElement(header).jsonObject.mapValues { (_, v) ->
            val o = v.jsonObject
            PgType(o.getValue("type").jsonPrimitive.content, o["dims"]?.jsonPrimitive?.content?.toIntOrNull() ?: 0)
        }

    fun parse(
        type: PgType,
        text: String?,
    ): JsonElement {
        if (text == null) return JsonNull
        return if (type.dims > 0) JsonArray(splitArray(text).map { parse(PgType(type.type), it) }) else scalar(type.type, text)
    }

    private fun scalar(
        type: String,
        text: String,
    ): JsonElement =
        when (type) {
            "int2", "int4", "int8", "oid" -> JsonPrimitive(text.toLong())
            "float4", "float8" -> JsonPrimitive(text.toDouble())
            "bool" -> JsonPrimitive(text == "t" || text == "true")
            "json", "jsonb" -> Json.parseToJsonElement(text)
            else -> JsonPrimitive(text)
        }

    /** Splits a one-dimensional Postgres array literal; `NULL` items become null. */
    private fun splitArray(text: String): List<String?> {
        val body = text.trim().removePrefix("{").removeSuffix("}")
        if (body.isEmpty()) return emptyList()
        val out = mutableListOf<String?>()
        val item = StringBuilder()
        var quoted = false
        var wasQuoted = false
        var i = 0
        while (i < body.length) {
            val c = body[i]
            when {
                quoted && c == '\\' && i + 1 < body.length -> {
                    item.append(body[++i])
                }

                c == '"' -> {
                    quoted = !quoted
                    wasQuoted = true
                }

                !quoted && c == ',' -> {
                    out += finish(item, wasQuoted)
                    item.clear()
                    wasQuoted = false
                }

                else -> {
                    item.append(c)
                }
            }
            i++
        }
        out += finish(item, wasQuoted)
        return out
    }

    private fun finish(
        item: StringBuilder,
        wasQuoted: Boolean,
    ): String? = if (!wasQuoted && item.toString() == "NULL") null else item.toString()

    /** A row's values parsed with [schema] (columns missing from the schema stay text). */
    fun row(
        schema: Map<String, PgType>,
        value: JsonObject,
    ): JsonObject =
        JsonObject(
            value.mapValues { (name, v) ->
                val text = if (v is JsonNull) null else v.jsonPrimitive.content
                parse(schema[name] ?: PgType("text"), text)
            },
        )
}
