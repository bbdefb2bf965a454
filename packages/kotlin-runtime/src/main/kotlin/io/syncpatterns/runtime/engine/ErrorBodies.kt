package io.syncpatterns.runtime.engine

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonPrimitive

/** Reads a refused write's answer: its message and field errors, whatever the backend's format. */
object ErrorBodies {
    private fun parse(body: String?): JsonObject? = body?.let { runCatching { Json.parseToJsonElement(it) as? JsonObject }.getOrNull() }

    private fun text(e: Any?): String? = (e as? JsonPrimitive)?.takeIf { it.isString }?.content

    /** `message`, `detail` (a string), `error` or `title`; else `HTTP <status>`. */
    fun message(
        status: Int,
        body: String?,
    ): String {
        val o = parse(body)
        val found = o?.let { text(it["message"]) ?: text(it["detail"]) ?: text(it["error"]) ?: text(it["title"]) }
        return found ?: "HTTP $status"
    }

    /**
     * Field errors as field → message: the dev server's `fields[] {field|path, message}`, FastAPI's
     * `detail[] {loc, msg}` and `errors {field: message | [messages]}` maps.
     */
    fun fields(body: String?): Map<String, String> {
        val o = parse(body) ?: return emptyMap()
        val out = linkedMapOf<String, String>()
        (o["fields"] as? JsonArray)?.forEach { f ->
            val item = f as? JsonObject ?: return@forEach
            val name = text(item["field"]) ?: text(item["path"]) ?: text(item["name"]) ?: return@forEach
            out[name] = text(item["message"]) ?: text(item["msg"]) ?: ""
        }
        (o["detail"] as? JsonArray)?.forEach { f ->
            val item = f as? JsonObject ?: return@forEach
            val loc = (item["loc"] as? JsonArray)?.map { it.jsonPrimitive.content }?.filter { it != "body" } ?: return@forEach
            out[loc.joinToString(".")] = text(item["msg"]) ?: ""
        }
        (o["errors"] as? JsonObject)?.forEach { (name, v) ->
            out[name] = text(v) ?: (v as? JsonArray)?.mapNotNull { text(it) }?.joinToString("; ") ?: v.toString()
        }
        return out
    }
}
