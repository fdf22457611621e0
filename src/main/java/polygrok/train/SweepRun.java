package polygrok.train;

import polygrok.config.SweepPoint;

/** One run of a sweep before it trains: a point, one of its seeds and the run directory it writes. */
public record SweepRun(SweepPoint point, long seed, RunDirectory dir) {
    /** "POINT/seed_S", as the run is named in its summary. */
    public String name() {
        return point.name() + "/seed_" + seed;
    }
}
