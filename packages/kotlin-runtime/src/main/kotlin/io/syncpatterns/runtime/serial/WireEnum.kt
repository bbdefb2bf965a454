package io.syncpatterns.runtime.serial

import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.descriptors.PrimitiveKind
import kotlinx.serialization.descriptors.PrimitiveSerialDescriptor
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder
import kotlinx.serialization.json.JsonDecoder
import kotlinx.serialization.json.jsonPrimitive

/** A generated enum entry: its spec value as text ([wire]) and whether that value is a number. */
interface WireEnum {
    val wire: String
    val isNumber: Boolean get() = false
}

/**
 * Enum serializer with a fallback entry: a value the app does not know yet (the server added a
 * member) decodes to [unknown] instead of failing the whole response. Encoding [unknown] is an
 * error, because its original value is not kept.
 */
abstract class FallbackEnumSerializer<E>(
    serialName: String,
    private val entries: List<E>,
    private val unknown: E,
) : KSerializer<E> where E : Enum<E>, E : WireEnum {
    override val descriptor: SerialDescriptor = PrimitiveSerialDescriptor(serialName, PrimitiveKind.STRING)

    override fun serialize(
        encoder: Encoder,
        value: E,
    ) {
        if (value == unknown) throw SerializationException("${descriptor.serialName}.${value.name} cannot be sent: its value is unknown")
        val wire = value.wire
        when {
            !value.isNumber -> encoder.encodeString(wire)
            wire.toLongOrNull() != null -> encoder.encodeLong(wire.toLong())
            else -> encoder.encodeDouble(wire.toDouble())
        }
    }

    override fun deserialize(decoder: Decoder): E {
        val text = if (decoder is JsonDecoder) decoder.decodeJsonElement().jsonPrimitive.content else decoder.decodeString()
        return entries.firstOrNull { it != unknown && matches(it, text) } ?: unknown
    }

    private fun matches(
        entry: E,
        text: String,
    ): Boolean =
        if (entry.isNumber) {
            text.toBigDecimalOrNull()?.compareTo(entry.wire.toBigDecimal()) == 0
        } else {
            entry.wire == text
        }
}
