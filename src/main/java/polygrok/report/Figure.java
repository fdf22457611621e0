package polygrok.report;

/**
 * One picture of a run: a PNG and the words around it.
 *
 * @param fileName name under RUN/plots/
 */
public record Figure(String fileName, String title, String caption, byte[] png) {
    public Figure {
        if (png == null || png.length == 0) {
            throw new IllegalArgumentException("figure " + fileName + " has no image bytes");
        }
    }
}
