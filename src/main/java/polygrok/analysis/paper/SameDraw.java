package polygrok.analysis.paper;

/**
 * A finished run left out of a cell because another one there trained the same draw ({@link RunDraw});
 * the one kept is the one that ran longest, so it carries everything the other saw.
 */
public record SameDraw(RunOutcome setAside, RunOutcome kept) {
    public String line() {
        return "counted once: " + setAside.dir() + ": the same draw as " + kept.dir()
                + (kept.epochsRun() > setAside.epochsRun() ? String.format(java.util.Locale.ROOT, ", which ran on to %,d epochs", kept.epochsRun()) : "");
    }
}
