package io.syncpatterns.runtime.serial

import kotlinx.serialization.KSerializer
import kotlinx.serialization.Serializable
import kotlinx.serialization.descriptors.PrimitiveKind
import kotlinx.serialization.descriptors.PrimitiveSerialDescriptor
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder
import kotlinx.serialization.json.JsonDecoder
import kotlinx.serialization.json.jsonPrimitive
import java.math.BigDecimal

/**
 * OpenAPI `format: date-time` as sent (ISO-8601). A String alias, not `Instant`: kotlinx-datetime
 * is not on every classpath and `java.time` needs API 26 on Android; the name documents intent and
 * apps parse with the clock library they already use.
 */
typealias IsoDateTime = String

/** OpenAPI `format: date` (`2024-05-01`), kept as text for the same reasons as [IsoDateTime]. */
typealias IsoDate = String

/** OpenAPI `format: time`, kept as text. */
typealias IsoTime = String

/** OpenAPI `format: byte`: base64 text, decoded by the app when needed. */
typealias Base64 = String

/**
 * OpenAPI decimals as [BigDecimal] (exact, unlike Double). Written as a JSON string (pydantic and
 * the dev server read strings; a number would lose trailing zeros), read from a string or number.
 */
typealias Decimal =
    @Serializable(with = BigDecimalSerializer::class)
    BigDecimal

/** The serializer behind [Decimal]. */
object BigDecimalSerializer : KSerializer<BigDecimal> {
    override val descriptor: SerialDescriptor = PrimitiveSerialDescriptor("io.syncpatterns.Decimal", PrimitiveKind.STRING)

    override fun serialize(
        encoder: Encoder,
        value: BigDecimal,
    ) {
        encoder.encodeString(value.toPlainString())
    }

    override fun deserialize(decoder: Decoder): BigDecimal {
        // A JSON number keeps its literal text in the tree, so no precision is lost through Double.
        val text = if (decoder is JsonDecoder) decoder.decodeJsonElement().jsonPrimitive.content else decoder.decodeString()
        return BigDecimal(text)
    }
}
