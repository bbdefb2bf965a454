package io.syncpatterns.runtime.http

/**
 * A non-2xx answer from the API. Carries the raw [body] so callers can decode the spec's error
 * schema themselves (the status decides the sync behaviour: 4xx final, 5xx/429 retried).
 */
class ApiException(
    val status: Int,
    val body: String,
    val headers: Map<String, List<String>> = emptyMap(),
) : RuntimeException("HTTP $status: ${body.take(MAX_MESSAGE_BODY)}") {
    /** 4xx other than 408/429: the server refused the request for good (retrying cannot help). */
    val isPermanent: Boolean get() = status in 400..499 && status != 408 && status != 429

    private companion object {
        const val MAX_MESSAGE_BODY = 500
    }
}
