package testapp

import com.example.crm.model.Account
import com.example.crm.model.Contact
import com.example.crm.model.ContactStatus
import com.example.crm.model.ContactUpdate
import com.example.petstore30.model.Identifier
import com.example.petstore30.model.PetDetails
import io.syncpatterns.runtime.serial.SyncJson
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.math.BigDecimal

/** Wire behaviour of generated models (goldens of fixtures/crm and fixtures/petstore-3.0). */
class GeneratedModelsTest {
    private val contactJson =
        """{"id":"c1","first_name":"Ada","last_name":null,"email":"a@x","phone":null,"status":"vip","account_id":null,""" +
            """"tags":["x"],"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z","extra":1}"""

    @Test
    fun `unknown enum values and unknown keys decode, wire names map to camelCase`() {
        val c = SyncJson.decodeFromString(Contact.serializer(), contactJson)
        assertEquals(ContactStatus.UNKNOWN, c.status)
        assertEquals("Ada", c.firstName)
        assertEquals(null, c.notes)
    }

    @Test
    fun `optional null is absent, required nullable is sent as null`() {
        val c = SyncJson.decodeFromString(Contact.serializer(), contactJson).copy(status = ContactStatus.ACTIVE)
        val out = SyncJson.encodeToJsonElement(Contact.serializer(), c).jsonObject
        assertTrue("last_name" in out)
        assertEquals("null", out.getValue("last_name").toString())
        assertFalse("notes" in out)
        assertEquals(JsonPrimitive("active"), out["status"])
        assertEquals("{}", SyncJson.encodeToString(ContactUpdate.serializer(), ContactUpdate()))
    }

    @Test
    fun `encoding the UNKNOWN enum entry fails instead of sending a wrong value`() {
        val c = SyncJson.decodeFromString(Contact.serializer(), contactJson)
        assertThrows(SerializationException::class.java) { SyncJson.encodeToString(Contact.serializer(), c) }
    }

    @Test
    fun `decimals are exact and written as strings`() {
        val json =
            """{"id":"a","name":"n","domain":null,"annual_revenue":1250000.10,"employee_count":1,"is_customer":true,""" +
                """"owner_email":"o","metadata":{},"created_at":"t","updated_at":"t"}"""
        val a = SyncJson.decodeFromString(Account.serializer(), json)
        assertEquals(BigDecimal("1250000.10"), a.annualRevenue)
        assertEquals(JsonPrimitive("1250000.10"), SyncJson.encodeToJsonElement(Account.serializer(), a).jsonObject["annual_revenue"])
    }

    @Test
    fun `discriminated union picks the variant by tag and round-trips the tag`() {
        val json = """{"pet_type":"cat","indoor":true,"name":"Tom"}"""
        val d = SyncJson.decodeFromString(PetDetails.serializer(), json)
        assertTrue(d is PetDetails.CatValue, "$d")
        assertEquals(JsonPrimitive("cat"), SyncJson.encodeToJsonElement(PetDetails.serializer(), d).jsonObject["pet_type"])
        assertThrows(SerializationException::class.java) { SyncJson.decodeFromString(PetDetails.serializer(), """{"pet_type":"cow"}""") }
    }

    @Test
    fun `non-discriminated union tries variants in order`() {
        assertEquals(Identifier.StringValue("a1"), SyncJson.decodeFromString(Identifier.serializer(), "\"a1\""))
        assertEquals(Identifier.LongValue(7), SyncJson.decodeFromString(Identifier.serializer(), "7"))
        assertEquals("7", SyncJson.encodeToString(Identifier.serializer(), Identifier.LongValue(7)))
    }
}
