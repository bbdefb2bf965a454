package testapp

import com.example.crm.api.ApiClient
import com.example.crm.model.ContactStatus
import io.syncpatterns.runtime.http.ApiException
import io.syncpatterns.runtime.http.HttpRequest
import io.syncpatterns.runtime.http.HttpResponse
import io.syncpatterns.runtime.http.HttpTransport
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test

/** The generated crm client over a recording fake transport (no network). */
class GeneratedApiTest {
    private class Recorder(
        val status: Int,
        val body: String,
    ) : HttpTransport {
        val requests = mutableListOf<HttpRequest>()

        override suspend fun execute(request: HttpRequest): HttpResponse {
            requests += request
            return HttpResponse(status, mapOf("x-sync-txid" to listOf("42")), body.encodeToByteArray())
        }
    }

    @Test
    fun `builds URL, query, auth and decodes the body`() =
        runBlocking {
            val t = Recorder(200, "[]")
            val client = ApiClient(baseUrl = "http://h/", tokenProvider = { "tok" }, transport = t)
            assertEquals(emptyList<Any>(), client.contacts.listContacts(status = ContactStatus.CHURNED, q = "a b"))
            val r = t.requests.single()
            assertEquals("GET", r.method)
            assertEquals("http://h/contacts?status=churned&q=a+b", r.url)
            assertEquals("Bearer tok", r.headers.toMap()["Authorization"])
        }

    @Test
    fun `encodes path parameters and maps errors to ApiException`() {
        val t = Recorder(404, """{"error":"not_found","message":"x"}""")
        val client = ApiClient(baseUrl = "http://h", transport = t)
        val e = assertThrows(ApiException::class.java) { runBlocking { client.contacts.deleteContact("a/b c") } }
        assertEquals(404, e.status)
        assertEquals("http://h/contacts/a%2Fb%20c", t.requests.single().url)
        assertEquals("DELETE", t.requests.single().method)
    }
}
