package polygrok.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import polygrok.tensor.Shape;

/** The ordered list of a model's parameters and their offsets in one model's flat block of P values. */
public final class ParameterLayout {
    private final Map<String, ParameterSpec> byName = new LinkedHashMap<>();
    private long total;

    /** Appends a parameter after the ones already declared. */
    public ParameterLayout add(String name, Shape shape, ParameterSpec.Init init) {
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("parameter " + name + " declared twice");
        }
        byName.put(name, new ParameterSpec(name, shape, total, init));
        total += shape.size();
        return this;
    }

    /** P, parameters per model. */
    public long total() {
        return total;
    }

    public List<ParameterSpec> specs() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public ParameterSpec spec(String name) {
        ParameterSpec s = byName.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no parameter named " + name + "; the model has " + byName.keySet());
        }
        return s;
    }
}
