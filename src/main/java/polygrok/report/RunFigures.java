package polygrok.report;

import java.util.ArrayList;
import java.util.List;

/** A run's figures, grouped the way the report lays them out. */
public record RunFigures(List<Figure> curves, List<Figure> spectra, List<Figure> embedding,
                         List<Figure> heatmaps, List<Figure> histograms) {
    public RunFigures {
        curves = List.copyOf(curves);
        spectra = List.copyOf(spectra);
        embedding = List.copyOf(embedding);
        heatmaps = List.copyOf(heatmaps);
        histograms = List.copyOf(histograms);
    }

    public List<Figure> all() {
        List<Figure> out = new ArrayList<>(curves);
        out.addAll(spectra);
        out.addAll(embedding);
        out.addAll(heatmaps);
        out.addAll(histograms);
        return out;
    }
}
