package polygrok.analysis;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads analysis/expected.json, written by analysis/make_expected.py (numpy). */
final class NumpyExpected {
    private NumpyExpected() {
    }

    static JsonObject load() {
        try (InputStream in = NumpyExpected.class.getResourceAsStream("/analysis/expected.json")) {
            if (in == null) {
                throw new IllegalStateException("test resource /analysis/expected.json is missing");
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] vector(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    static int[] ints(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    static double[][] matrix(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        double[][] m = new double[a.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(a.get(i));
        }
        return m;
    }
}
