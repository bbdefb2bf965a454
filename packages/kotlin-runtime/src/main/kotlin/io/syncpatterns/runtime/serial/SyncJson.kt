package io.syncpatterns.runtime.serial

import kotlinx.serialization.json.Json
import kotlinx.serialization.modules.SerializersModule
import kotlinx.serialization.modules.contextual
import java.math.BigDecimal

/**
 * The JSON configuration generated code relies on:
 * - unknown keys are ignored, so a server adding a field never breaks an old app;
 * - defaults are not encoded, so an optional property left at `null` is *absent* on the wire,
 *   while a required nullable property (no default) is always sent, as `null` when null;
 * - [BigDecimal] is registered contextually so `serializer<List<BigDecimal>>()` resolves.
 */
val SyncJson: Json =
    Json {
        ignoreUnknownKeys = true
        encodeDefaults = false
        explicitNulls = true
        serializersModule = SerializersModule { contextual(BigDecimalSerializer) }
    }
