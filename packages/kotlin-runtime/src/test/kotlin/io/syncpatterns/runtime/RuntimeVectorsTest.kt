package io.syncpatterns.runtime

import io.syncpatterns.runtime.sync.BackoffPolicy
import io.syncpatterns.runtime.sync.PgType
import io.syncpatterns.runtime.sync.ShapeLog
import io.syncpatterns.runtime.sync.ShapeResponse
import io.syncpatterns.runtime.sync.ShapeValues
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import java.io.File

/**
 * The shared vectors of sync-runtime-contract §7 (fixtures/runtime-vectors/, authored with the
 * React runtime). A missing file is reported as SKIPPED (assumption), never as a pass.
 * `outbox.json` is not run yet: the Kotlin outbox worker state machine is not implemented (see
 * generators/kotlin/README.md).
 */
class RuntimeVectorsTest {
    private val dir = File(System.getProperty("sync.vectors", "fixtures/runtime-vectors"))

    private fun vector(name: String): JsonObject {
        val file = File(dir, name)
        assumeTrue(file.isFile, "vector ${file.path} not present yet")
        return Json.parseToJsonElement(file.readText()).jsonObject
    }

    @Test
    fun `backoff json`() {
        val v = vector("backoff.json")
        val p = v.getValue("policy").jsonObject
        val policy =
            BackoffPolicy(
                p.getValue("baseMs").jsonPrimitive.long,
                p
                    .getValue("factor")
                    .jsonPrimitive.content
                    .toDouble(),
                p.getValue("maxMs").jsonPrimitive.long,
            )
        for (c in v.getValue("cases").jsonArray.map { it.jsonObject }) {
            val expected = c.getValue("expectedMs").jsonPrimitive.long
            assertEquals(
                expected,
                policy.delayMs(
                    c
                        .getValue("attempt")
                        .jsonPrimitive.content
                        .toInt(),
                    c
                        .getValue("random")
                        .jsonPrimitive.content
                        .toDouble(),
                ),
                "$c",
            )
        }
    }

    @Test
    fun `shape-values json`() {
        for (c in vector("shape-values.json").getValue("cases").jsonArray.map { it.jsonObject }) {
            val schema = c.getValue("schema").jsonObject
            val type = PgType(schema.getValue("type").jsonPrimitive.content, schema["dims"]?.jsonPrimitive?.content?.toInt() ?: 0)
            val text = (c.getValue("text") as? JsonPrimitive)?.takeIf { it.isString }?.content
            assertEquals(canonical(normalise(c.getValue("expected"), type)), canonical(ShapeValues.parse(type, text)), "$c")
        }
    }

    @Test
    fun `shape-log json`() {
        for (c in vector("shape-log.json").getValue("cases").jsonArray.map { it.jsonObject }) {
            val log = ShapeLog()
            c.getValue("steps").jsonArray.forEachIndexed { i, stepElement ->
                val step = stepElement.jsonObject
                val r = step.getValue("response").jsonObject
                val headers =
                    r["headers"]
                        ?.jsonObject
                        .orEmpty()
                        .mapKeys { it.key.lowercase() }
                        .mapValues { it.value.jsonPrimitive.content }
                val body = (r["body"] as? JsonArray) ?: JsonArray(emptyList())
                val action =
                    log.apply(
                        ShapeResponse(
                            r
                                .getValue("status")
                                .jsonPrimitive.content
                                .toInt(),
                            headers,
                            body,
                        ),
                    )
                val e = step.getValue("expect").jsonObject
                val label = "${c.getValue("name").jsonPrimitive.content} step ${i + 1}"
                assertEquals(e.getValue("action").jsonPrimitive.content, action.name.lowercase(), label)
                assertEquals((e.getValue("handle") as? JsonPrimitive)?.takeIf { it.isString }?.content, log.handle, label)
                assertEquals(e.getValue("offset").jsonPrimitive.content, log.offset, label)
                assertEquals(
                    e
                        .getValue("upToDate")
                        .jsonPrimitive.content
                        .toBoolean(),
                    log.upToDate,
                    label,
                )
                val expectedRows =
                    e
                        .getValue("rows")
                        .jsonArray
                        .map { canonical(it) }
                        .sortedBy { it.toString() }
                assertEquals(expectedRows, log.rows.map { canonical(it) }.sortedBy { it.toString() }, label)
            }
        }
    }

    /** Numbers compare by value (`1e+21` in JSON and `1.0E21` from Kotlin are the same double). */
    private fun canonical(e: JsonElement): JsonElement =
        when (e) {
            is JsonPrimitive -> {
                if (!e.isString && e.content != "null" &&
                    e.content.toDoubleOrNull() != null
                ) {
                    JsonPrimitive(
                        e.content
                            .toBigDecimal()
                            .stripTrailingZeros()
                            .toPlainString(),
                    )
                } else {
                    e
                }
            }

            is kotlinx.serialization.json.JsonArray -> {
                kotlinx.serialization.json.JsonArray(e.map(::canonical))
            }

            is JsonObject -> {
                JsonObject(e.mapValues { canonical(it.value) })
            }
        }

    /** 64-bit integers beyond 2^53 are given as strings in the vectors and compared as integers. */
    private fun normalise(
        expected: JsonElement,
        type: PgType,
    ): JsonElement =
        if (type.type == "int8" && expected is JsonPrimitive && expected.isString) JsonPrimitive(expected.content.toLong()) else expected
}
