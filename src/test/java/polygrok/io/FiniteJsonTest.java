package polygrok.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** Non-finite numbers leave as null with a note saying what they were, and come back from the note. */
class FiniteJsonTest {
    @Test
    void nonFiniteNumbersBecomeNullAndComeBack() {
        JsonObject o = JsonParser.parseString("{\"a\": 1.5, \"b\": {\"c\": [1, 2, 3]}, \"d\": [{\"e\": 0}]}").getAsJsonObject();
        assertSame(o, FiniteJson.of(o), "all finite: the same object");
        o.addProperty("a", Double.NaN);
        o.getAsJsonObject("b").getAsJsonArray("c").set(1, new com.google.gson.JsonPrimitive(Double.POSITIVE_INFINITY));
        o.getAsJsonArray("d").get(0).getAsJsonObject().addProperty("e", Double.NEGATIVE_INFINITY);
        JsonObject clean = FiniteJson.of(o);
        assertTrue(clean.get("a").isJsonNull() && clean.getAsJsonObject("b").getAsJsonArray("c").get(1).isJsonNull()
                && clean.getAsJsonArray("d").get(0).getAsJsonObject().get("e").isJsonNull(), clean.toString());
        assertEquals("{\"a\":\"NaN\",\"b.c[1]\":\"Infinity\",\"d[0].e\":\"-Infinity\"}", clean.get(FiniteJson.FIELD).toString());
        String text = new com.google.gson.Gson().toJson(clean);
        assertTrue(!text.contains("NaN,") && !text.contains(":Infinity"), "no bare NaN or Infinity: " + text);
        JsonObject back = FiniteJson.restore(JsonParser.parseString(text)).getAsJsonObject();
        assertTrue(Double.isNaN(back.get("a").getAsDouble()));
        assertEquals(Double.POSITIVE_INFINITY, back.getAsJsonObject("b").getAsJsonArray("c").get(1).getAsDouble());
        assertEquals(Double.NEGATIVE_INFINITY, back.getAsJsonArray("d").get(0).getAsJsonObject().get("e").getAsDouble());
        assertTrue(!back.has(FiniteJson.FIELD));
    }
}
