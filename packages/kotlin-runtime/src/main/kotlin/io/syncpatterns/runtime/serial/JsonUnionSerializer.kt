package io.syncpatterns.runtime.serial

import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.descriptors.buildClassSerialDescriptor
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonDecoder
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonEncoder
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Base of every generated `oneOf`/`anyOf` serializer. Variants are wrapper classes around the
 * spec's own schemas, so a schema used in two unions (or on its own) keeps one wire shape and its
 * tag property; the generated subclass picks the variant by tag ([tagOf]) or, without a
 * discriminator, by trying the variants in spec order ([firstMatch]).
 */
abstract class JsonUnionSerializer<T : Any>(
    serialName: String,
) : KSerializer<T> {
    override val descriptor: SerialDescriptor = buildClassSerialDescriptor(serialName)

    /** Decodes [element] into the matching variant. */
    protected abstract fun decodeVariant(
        json: Json,
        element: JsonElement,
    ): T

    /** Encodes [value] with its variant's serializer. */
    protected abstract fun encodeVariant(
        json: Json,
        value: T,
    ): JsonElement

    override fun deserialize(decoder: Decoder): T {
        val input = decoder as? JsonDecoder ?: throw SerializationException("${descriptor.serialName} can only be read from JSON")
        return decodeVariant(input.json, input.decodeJsonElement())
    }

    override fun serialize(
        encoder: Encoder,
        value: T,
    ) {
        val output = encoder as? JsonEncoder ?: throw SerializationException("${descriptor.serialName} can only be written as JSON")
        output.encodeJsonElement(encodeVariant(output.json, value))
    }

    /** The string value of discriminator [property] of an object, or null. */
    protected fun tagOf(
        element: JsonElement,
        property: String,
    ): String? = ((element as? JsonObject)?.get(property) as? JsonPrimitive)?.takeIf { it.isString }?.content

    /** The first variant decoder that succeeds, in spec order. */
    protected fun firstMatch(
        element: JsonElement,
        vararg decoders: (JsonElement) -> T,
    ): T {
        val errors = mutableListOf<String>()
        for (decode in decoders) {
            try {
                return decode(element)
            } catch (e: SerializationException) {
                errors += e.message.orEmpty()
            } catch (e: IllegalArgumentException) {
                errors += e.message.orEmpty()
            }
        }
        throw SerializationException("${descriptor.serialName}: no variant matches (${errors.joinToString("; ")})")
    }

    /** Error for a tag no variant declares. */
    protected fun unknownTag(
        property: String,
        tag: String?,
    ): SerializationException = SerializationException("${descriptor.serialName}: unknown $property ${tag ?: "(missing)"}")
}
