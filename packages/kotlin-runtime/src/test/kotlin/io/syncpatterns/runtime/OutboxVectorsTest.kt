package io.syncpatterns.runtime

import io.syncpatterns.runtime.sync.OutboxMachine
import io.syncpatterns.runtime.sync.SendResult
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File

/** The outbox vectors (contract §7, `outbox.json`) against [OutboxMachine], one test per case. */
class OutboxVectorsTest {
    private val file = File(System.getProperty("sync.vectors", "fixtures/runtime-vectors"), "outbox.json")

    @TestFactory
    fun `outbox json`(): List<DynamicTest> {
        assumeTrue(file.isFile, "vector ${file.path} not present yet")
        return Json.parseToJsonElement(file.readText()).jsonObject.getValue("cases").jsonArray.map { it.jsonObject }.map { c ->
            DynamicTest.dynamicTest(c.getValue("name").jsonPrimitive.content) {
                val m = OutboxMachine()
                c.getValue("events").jsonArray.forEach { run(m, it.jsonObject) }
                assertEquals(canonical(c.getValue("expect")), canonical(state(m)))
            }
        }
    }

    private fun str(e: JsonElement?): String? = (e as? JsonPrimitive)?.takeIf { it !is JsonNull }?.content

    private fun run(
        m: OutboxMachine,
        e: JsonObject,
    ) {
        val now = e["now"]?.jsonPrimitive?.long ?: 0
        val random = e["random"]?.jsonPrimitive?.content?.toDouble() ?: 0.0
        when (e.getValue("type").jsonPrimitive.content) {
            "enqueue" -> {
                m.enqueue(
                    str(e["writeId"])!!,
                    str(e["table"])!!,
                    str(e["pk"])!!,
                    str(e["op"])!!,
                    e
                        .getValue("confirmed")
                        .jsonPrimitive.content
                        .toBoolean(),
                    now,
                )
            }

            "dispatch" -> {
                m.dispatch(now)
            }

            "response" -> {
                val header = (e["headers"] as? JsonObject)?.entries?.firstOrNull { it.key.lowercase() == "x-sync-txid" }?.value
                val body = e["body"] as? JsonObject
                val txid = OutboxMachine.txidOf(str(header), str(body?.get("txid")))
                val result =
                    SendResult(
                        e
                            .getValue("status")
                            .jsonPrimitive.content
                            .toInt(),
                        txid,
                        e["retryAfterMs"]?.let { str(it)?.toLong() },
                    )
                m.response(str(e["writeId"])!!, result, now, random)
            }

            "network-error", "timeout" -> {
                m.response(str(e["writeId"])!!, SendResult(null), now, random)
            }

            "shape-batch" -> {
                m.channelSucceeded(now)
            }

            "shape-error" -> {
                m.channelFailed()
            }

            "shape-delete" -> {
                m.shapeDeleted(str(e["table"])!!, str(e["pk"])!!)
            }

            "discard" -> {
                m.discard(str(e["writeId"])!!)
            }

            "seen" -> {
                m.seen(e.getValue("txids").jsonArray.map { it.jsonPrimitive.content })
            }

            "reconnect" -> {
                m.reconnect(now)
            }

            "cancel" -> {
                m.cancel(str(e["writeId"])!!)
            }

            else -> {
                error("unknown event $e")
            }
        }
    }

    private fun state(m: OutboxMachine): JsonObject =
        buildJsonObject {
            put(
                "outbox",
                buildJsonArray {
                    m.rows.forEach { r ->
                        add(
                            buildJsonObject {
                                put("writeId", r.writeId)
                                put("status", r.status)
                                put("attempts", r.attempts)
                                put("nextAttemptAt", r.nextAttemptAt)
                                put("txid", r.txid)
                            },
                        )
                    }
                },
            )
            put("local", JsonObject(m.localWriteIds.mapValues { JsonPrimitive(it.value) }))
            put("sent", JsonArray(sentOrder(m)))
            put("resolved", JsonArray(m.resolved.map(::JsonPrimitive)))
            put(
                "rejected",
                JsonArray(
                    m.rejected.map { (w, s) ->
                        buildJsonObject {
                            put("writeId", w)
                            put("status", s)
                        }
                    },
                ),
            )
            put("rolledBack", JsonArray(m.rolledBack.map(::JsonPrimitive)))
            put("hidden", JsonArray(m.hidden.sorted().map(::JsonPrimitive)))
            put(
                "lastError",
                m.lastError?.let {
                    buildJsonObject {
                        put("writeId", it.writeId)
                        put("status", it.status)
                    }
                } ?: JsonNull,
            )
        }

    private fun sentOrder(m: OutboxMachine): List<JsonPrimitive> = m.sentLog.map(::JsonPrimitive)

    private fun canonical(e: JsonElement): JsonElement =
        when (e) {
            is JsonObject -> {
                JsonObject(e.toSortedMap().mapValues { canonical(it.value) })
            }

            is JsonArray -> {
                JsonArray(e.map(::canonical))
            }

            is JsonPrimitive -> {
                if (!e.isString && e !is JsonNull &&
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
        }
}
