package io.syncpatterns.runtime

import io.syncpatterns.runtime.http.Param
import io.syncpatterns.runtime.http.encodeQuery
import io.syncpatterns.runtime.http.expandPath
import io.syncpatterns.runtime.http.params
import io.syncpatterns.runtime.sync.BackoffPolicy
import io.syncpatterns.runtime.sync.PgType
import io.syncpatterns.runtime.sync.ShapeValues
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** Table-driven checks of the runtime's pure pieces (contract §2 backoff, §5 values, HTTP params). */
class SyncCoreTest {
    @Test
    fun `backoff is full jitter capped at maxMs`() {
        val p = BackoffPolicy()
        assertEquals(0, p.delayMs(1, 0.0))
        assertEquals(250, p.delayMs(1, 0.5))
        assertEquals(999, p.delayMs(2, 0.9995))
        assertEquals(15_000, p.delayMs(20, 0.5))
        assertEquals(60_000, p.delayAfter429Ms(1, 0.5, retryAfterSeconds = 60))
    }

    @Test
    fun `shape values parse by electric-schema type`() {
        val cases =
            listOf(
                PgType("int4") to "42" to JsonPrimitive(42L),
                PgType("int8") to "9007199254740993" to JsonPrimitive(9007199254740993L),
                PgType("float8") to "1.5" to JsonPrimitive(1.5),
                PgType("numeric") to "1250000.00" to JsonPrimitive("1250000.00"),
                PgType("bool") to "t" to JsonPrimitive(true),
                PgType("bool") to "f" to JsonPrimitive(false),
                PgType("jsonb") to "{\"a\":1}" to buildJsonObject { put("a", 1) },
                PgType("timestamptz") to "2024-01-01 00:00:00+00" to JsonPrimitive("2024-01-01 00:00:00+00"),
                PgType("text") to null to JsonNull,
                PgType("text", dims = 1) to "{a,\"b,c\",NULL}" to JsonArray(listOf(JsonPrimitive("a"), JsonPrimitive("b,c"), JsonNull)),
                PgType("int4", dims = 1) to "{1,2}" to JsonArray(listOf(JsonPrimitive(1L), JsonPrimitive(2L))),
            )
        for ((input, expected) in cases) assertEquals(expected, ShapeValues.parse(input.first, input.second), "$input")
    }

    @Test
    fun `path params are percent-encoded as one segment and query params follow form style`() {
        assertEquals("/a/x%2Fy%20z/b", expandPath("/a/{id}/b", "id" to "x/y z"))
        assertEquals(
            listOf("in" to "a", "in" to "b", "csv" to "a,b", "n" to "1"),
            params(Param("in", listOf("a", "b")), Param("csv", listOf("a", "b"), explode = false), Param("n", 1), Param("absent", null)),
        )
        assertEquals("?q=a+b%26c", encodeQuery(listOf("q" to "a b&c")))
    }
}
