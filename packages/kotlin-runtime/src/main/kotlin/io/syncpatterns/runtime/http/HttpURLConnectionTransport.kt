package io.syncpatterns.runtime.http

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.net.HttpURLConnection
import java.net.URL

/**
 * Default [HttpTransport] on the JDK's HttpURLConnection (also on Android), so the generated
 * client works with no HTTP dependency. Blocking I/O runs on [dispatcher] (Dispatchers.IO).
 * PATCH is not allowed by HttpURLConnection's method check, so it is sent as POST with
 * `X-HTTP-Method-Override: PATCH` only when the JDK refuses it; Android's implementation accepts it.
 */
class HttpURLConnectionTransport(
    private val connectTimeoutMs: Int = 15_000,
    private val readTimeoutMs: Int = 60_000,
    private val dispatcher: CoroutineDispatcher = Dispatchers.IO,
) : HttpTransport {
    override suspend fun execute(request: HttpRequest): HttpResponse =
        withContext(dispatcher) {
            val connection = URL(request.url).openConnection() as HttpURLConnection
            try {
                setMethod(connection, request.method)
                connection.connectTimeout = connectTimeoutMs
                connection.readTimeout = readTimeoutMs
                connection.instanceFollowRedirects = true
                request.headers.forEach { (name, value) -> connection.addRequestProperty(name, value) }
                val body = request.body
                if (body != null) {
                    connection.doOutput = true
                    connection.setFixedLengthStreamingMode(body.size)
                    connection.outputStream.use { it.write(body) }
                }
                val status = connection.responseCode
                val stream = if (status >= 400) connection.errorStream else connection.inputStream
                val bytes = stream?.use { it.readBytes() } ?: ByteArray(0)
                val headers =
                    connection.headerFields
                        .filterKeys { it != null }
                        .mapKeys { (key, _) -> key.lowercase() }
                HttpResponse(status, headers, bytes)
            } finally {
                connection.disconnect()
            }
        }

    private fun setMethod(
        connection: HttpURLConnection,
        method: String,
    ) {
        try {
            connection.requestMethod = method
        } catch (_: java.net.ProtocolException) {
            // The JDK rejects PATCH; reflection-free fallback understood by most servers.
            connection.requestMethod = "POST"
            connection.setRequestProperty("X-HTTP-Method-Override", method)
        }
    }
}
