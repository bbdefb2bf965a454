package io.syncpatterns.runtime.http

/**
 * The one seam between generated clients and the network. Generated code never opens a
 * connection itself, so apps can plug OkHttp/Ktor and tests can plug a fake without any mocking
 * library.
 */
interface HttpTransport {
    /** Sends [request] and returns the response whatever its status; throws only on I/O failure. */
    suspend fun execute(request: HttpRequest): HttpResponse
}

/** A fully resolved request: absolute [url], header list (repeatable names), optional body. */
class HttpRequest(
    val method: String,
    val url: String,
    val headers: List<Pair<String, String>> = emptyList(),
    val body: ByteArray? = null,
)

/** A response; [headers] keys are lower-case so lookups are case-insensitive as HTTP requires. */
class HttpResponse(
    val status: Int,
    val headers: Map<String, List<String>>,
    val body: ByteArray,
) {
    /** First value of header [name] (case-insensitive), or null. */
    fun header(name: String): String? = headers[name.lowercase()]?.firstOrNull()

    /** The body decoded as UTF-8. */
    fun bodyText(): String = body.decodeToString()
}
