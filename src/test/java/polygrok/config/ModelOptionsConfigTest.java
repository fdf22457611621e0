package polygrok.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model options bias, final_layer_norm, residual, input and weight_init: defaults (not written, so a run's
 * config.json reads as before), the JSON round trip, and each refusal naming its field and the fix.
 */
class ModelOptionsConfigTest {
    private static ExperimentConfig parse(String model) {
        return ConfigLoader.parse("{\"p\": 11, \"ops\": [\"add\"], \"model\": " + model + "}", "m.json");
    }

    private static ConfigException refused(String model) {
        return assertThrows(ConfigException.class, () -> parse(model), model);
    }

    @Test
    void absentMeansThePapersModelAndIsNotWritten() {
        ModelConfig m = parse("{}").model();
        assertFalse(m.bias());
        assertFalse(m.finalLayerNorm());
        assertEquals("stream", m.residual());
        assertEquals("embed", m.input());
        assertEquals("default", m.weightInit());
        assertTrue(m.plainVariant());
        String json = ConfigLoader.toJson(parse("{}"));
        for (String key : List.of("\"bias\"", "\"final_layer_norm\"", "\"residual\"", "\"input\"", "\"weight_init\"")) {
            assertFalse(json.contains(key), "a config.json without the options reads as before: " + json);
        }
    }

    @Test
    void toJsonRoundTrips() {
        for (String model : List.of("{\"bias\": true}", "{\"final_layer_norm\": true}", "{\"layer_norm\": true, \"residual\": \"normalised\"}",
                "{\"d_model\": 8, \"num_heads\": 2, \"layer_norm\": true, \"positional\": true, \"bias\": true,"
                        + " \"final_layer_norm\": true, \"residual\": \"normalised\", \"act\": \"GeLU\"}",
                "{\"type\": \"mlp\", \"input\": \"one_hot\", \"d_model\": 200, \"num_layers\": 1}",
                "{\"weight_init\": \"pytorch\"}", "{\"type\": \"mlp\", \"input\": \"one_hot\", \"weight_init\": \"pytorch\"}")) {
            ExperimentConfig c = parse(model);
            assertFalse(c.model().plainVariant(), model);
            assertEquals(c, ConfigLoader.parse(ConfigLoader.toJson(c), "again.json"), model);
        }
        ModelConfig oneHot = parse("{\"type\": \"mlp\", \"input\": \"one_hot\"}").model();
        assertEquals("one_hot", oneHot.input());
        assertEquals(ModelConfig.defaults().dEmb(), oneHot.dEmb(), "d_emb keeps its default, which one_hot does not read");
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndWhatIsAllowed() {
        ConfigException residual = refused("{\"layer_norm\": true, \"residual\": \"pre\"}");
        assertEquals("model.residual", residual.path());
        assertTrue(residual.getMessage().contains("allowed: stream, normalised"), residual.getMessage());
        ConfigException input = refused("{\"type\": \"mlp\", \"input\": \"onehot\"}");
        assertEquals("model.input", input.path());
        assertTrue(input.getMessage().contains("allowed: embed, one_hot"), input.getMessage());
        ConfigException init = refused("{\"weight_init\": \"torch\"}");
        assertEquals("model.weight_init", init.path());
        assertTrue(init.getMessage().contains("allowed: default") && init.getMessage().contains("pytorch"), init.getMessage());
        assertEquals("model.bias", refused("{\"bias\": 1}").path());
        assertEquals("model.final_layer_norm", refused("{\"final_layer_norm\": \"yes\"}").path());
    }

    @Test
    void theNormalisedResidualNeedsLayerNorm() {
        ConfigException e = refused("{\"residual\": \"normalised\"}");
        assertEquals("model.residual", e.path());
        assertTrue(e.getMessage().contains("\"layer_norm\": true") && e.getMessage().contains("set layer_norm to true"), e.getMessage());
    }

    @Test
    void anOptionOfTheOtherModelTypeIsRefused() {
        for (String field : List.of("\"bias\": true", "\"final_layer_norm\": true", "\"residual\": \"normalised\", \"layer_norm\": true")) {
            ConfigException e = refused("{\"type\": \"mlp\", " + field + "}");
            String name = field.substring(1, field.indexOf('"', 1));
            assertTrue(e.path().equals("model." + name) || e.path().equals("model.layer_norm"), e.path());
            assertTrue(e.getMessage().contains("belongs to the \"transformer\" model"), e.getMessage());
        }
        ConfigException input = refused("{\"input\": \"one_hot\"}");
        assertEquals("model.input", input.path());
        assertTrue(input.getMessage().contains("belongs to the \"mlp\" model") && input.getMessage().contains("takes"), input.getMessage());
        // a run's config.json lists the other type's fields at their defaults: those still read
        parse("{\"type\": \"mlp\", \"bias\": false, \"final_layer_norm\": false, \"residual\": \"stream\", \"input\": \"one_hot\"}");
        parse("{\"input\": \"embed\", \"bias\": true}");
    }

    @Test
    void dEmbMeansNothingWithOneHotInput() {
        ConfigException e = refused("{\"type\": \"mlp\", \"input\": \"one_hot\", \"d_emb\": 64}");
        assertEquals("model.d_emb", e.path());
        assertTrue(e.getMessage().contains("one_hot") && e.getMessage().contains("leave d_emb out"), e.getMessage());
        parse("{\"type\": \"mlp\", \"input\": \"one_hot\", \"d_emb\": " + ModelConfig.defaults().dEmb() + "}");
    }
}
