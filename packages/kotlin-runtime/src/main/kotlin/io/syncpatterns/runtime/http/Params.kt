package io.syncpatterns.runtime.http

import io.syncpatterns.runtime.serial.WireEnum
import java.math.BigDecimal
import java.net.URLEncoder

/**
 * One query or header parameter as a generated operation passes it. [explode] follows OpenAPI's
 * `form` style: `true` repeats the name per array item, `false` joins items with commas.
 */
class Param(
    val name: String,
    val value: Any?,
    val explode: Boolean = true,
)

/** Flattens parameters into name/value pairs; null values are omitted (optional and absent). */
fun params(vararg params: Param): List<Pair<String, String>> =
    params.flatMap { param ->
        when (val value = param.value) {
            null -> {
                emptyList()
            }

            is Iterable<*> -> {
                val items = value.filterNotNull().map(::paramText)
                if (param.explode) items.map { param.name to it } else listOf(param.name to items.joinToString(","))
            }

            else -> {
                listOf(param.name to paramText(value))
            }
        }
    }

/** Text form of a scalar parameter value: enums by wire value, decimals without exponent. */
fun paramText(value: Any): String =
    when (value) {
        is WireEnum -> value.wire
        is BigDecimal -> value.toPlainString()
        else -> value.toString()
    }

/**
 * Fills `{name}` placeholders of an OpenAPI path template with percent-encoded values, so an id
 * containing `/`, `?` or spaces stays one path segment.
 */
fun expandPath(
    template: String,
    vararg params: Pair<String, Any>,
): String =
    params.fold(template) { path, (name, value) ->
        path.replace("{$name}", encodePathSegment(paramText(value)))
    }

/** RFC 3986 percent-encoding of one path segment (space as %20, never +). */
fun encodePathSegment(value: String): String = URLEncoder.encode(value, "UTF-8").replace("+", "%20")

/** `?a=1&b=2` (form-encoded) or '' when there is nothing to send. */
fun encodeQuery(query: List<Pair<String, String>>): String =
    if (query.isEmpty()) {
        ""
    } else {
        query.joinToString("&", prefix = "?") { (name, value) ->
            URLEncoder.encode(name, "UTF-8") + "=" + URLEncoder.encode(value, "UTF-8")
        }
    }
