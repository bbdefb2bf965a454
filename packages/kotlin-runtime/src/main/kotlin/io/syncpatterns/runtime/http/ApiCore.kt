package io.syncpatterns.runtime.http

import io.syncpatterns.runtime.serial.SyncJson
import kotlinx.serialization.json.Json
import kotlinx.serialization.serializer

/** How [ApiCore] sends the token from its token provider (from the spec's security scheme). */
sealed interface AuthStyle {
    /** `Authorization: Bearer <token>`. */
    data object Bearer : AuthStyle

    /** `Authorization: Basic <token>` (the provider returns base64 `user:password`). */
    data object Basic : AuthStyle

    /** An API key in header [name]. */
    data class ApiKeyHeader(
        val name: String,
    ) : AuthStyle

    /** An API key in query parameter [name]. */
    data class ApiKeyQuery(
        val name: String,
    ) : AuthStyle
}

/** A request body already encoded to bytes, with its media type. */
class RequestBody(
    val contentType: String,
    val bytes: ByteArray,
)

/** A request as generated operations describe it: a path below the base URL plus parameters. */
class ApiRequest(
    val method: String,
    val path: String,
    val query: List<Pair<String, String>> = emptyList(),
    val headers: List<Pair<String, String>> = emptyList(),
    val cookies: List<Pair<String, String>> = emptyList(),
    val body: RequestBody? = null,
    val secured: Boolean = false,
)

/**
 * What every generated `…Api` class delegates to: base URL, auth, JSON and error mapping live
 * here once (tested in the runtime) instead of being repeated in each generated operation.
 */
class ApiCore(
    val baseUrl: String,
    val transport: HttpTransport = HttpURLConnectionTransport(),
    val tokenProvider: suspend () -> String? = { null },
    val auth: AuthStyle = AuthStyle.Bearer,
    val json: Json = SyncJson,
) {
    /** Sends [request]; returns the 2xx response or throws [ApiException]. */
    suspend fun send(request: ApiRequest): HttpResponse {
        val token = if (request.secured) tokenProvider() else null
        val headers = request.headers.toMutableList()
        val query = request.query.toMutableList()
        if (token != null) {
            when (val style = auth) {
                AuthStyle.Bearer -> headers += "Authorization" to "Bearer $token"
                AuthStyle.Basic -> headers += "Authorization" to "Basic $token"
                is AuthStyle.ApiKeyHeader -> headers += style.name to token
                is AuthStyle.ApiKeyQuery -> query += style.name to token
            }
        }
        headers += "Accept" to "application/json"
        if (request.cookies.isNotEmpty()) headers += "Cookie" to request.cookies.joinToString("; ") { (k, v) -> "$k=$v" }
        request.body?.let { headers += "Content-Type" to it.contentType }
        val url = baseUrl.trimEnd('/') + request.path + encodeQuery(query)
        val response = transport.execute(HttpRequest(request.method, url, headers, request.body?.bytes))
        if (response.status !in 200..299) throw ApiException(response.status, response.bodyText(), response.headers)
        return response
    }

    /** Sends [request] and decodes the JSON body as [T]. */
    suspend inline fun <reified T> callJson(request: ApiRequest): T {
        val response = send(request)
        return json.decodeFromString(json.serializersModule.serializer<T>(), response.bodyText())
    }

    /** Sends [request] and ignores the body (204 and bodiless 2xx answers). */
    suspend fun callUnit(request: ApiRequest) {
        send(request)
    }

    /** Sends [request] and returns the body as text (`text/…` responses). */
    suspend fun callText(request: ApiRequest): String = send(request).bodyText()

    /** Sends [request] and returns the raw body (binary responses). */
    suspend fun callBytes(request: ApiRequest): ByteArray = send(request).body

    /** Encodes [value] as a JSON request body. */
    inline fun <reified T> jsonBody(value: T): RequestBody =
        RequestBody(JSON_MEDIA_TYPE, json.encodeToString(json.serializersModule.serializer<T>(), value).encodeToByteArray())

    companion object {
        /** Media type of JSON bodies. */
        const val JSON_MEDIA_TYPE: String = "application/json"
    }
}
