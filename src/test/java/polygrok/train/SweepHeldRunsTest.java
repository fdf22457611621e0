package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.analysis.SweepTable;
import polygrok.analysis.SweepTableRow;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.io.DirectoryLock;

/**
 * In one process: a sweep leaves a run whose lock someone holds, trains the others, and names the one
 * it left in one line; the sweep's table counts the held run as in progress; and looking at a lock
 * this process holds never lets go of it.
 */
class SweepHeldRunsTest {

    @Test
    void aHeldRunIsLeftAndTheOthersTrain(@TempDir Path dir) throws IOException {
        List<RunGroup> groups = SweepGroups.of(SweepRunnerTest.sweep().points(), dir, 1);
        SweepRun heldRun = groups.get(0).runs().get(0);
        List<String> said = new ArrayList<>();
        List<SweepRunner.GroupOutcome> outcomes;
        try (DirectoryLock held = heldRun.dir().lock()) {
            SweepRunner runner = new SweepRunner(new CpuRefBackend(), (g, runs, epoch) -> new Trainer.Listener() {
                @Override
                public void message(String text) {
                }
            }, null, new AtomicBoolean(), said::add);
            outcomes = runner.run(groups);
            assertEquals(List.of(heldRun), outcomes.get(0).held(), "the held run is left");
            assertTrue(DirectoryLock.holder(heldRun.dir().dir()).isPresent(), "the look at the lock kept it held");
            SweepTableRow row = SweepTable.read(dir).rows().stream().filter(r -> r.point().equals(heldRun.point().name()))
                    .findFirst().orElseThrow();
            assertEquals(1, row.unfinished());
            assertEquals(1, row.inProgress(), "the held run is in progress");
            assertTrue(SweepTable.read(dir).csv().lines().anyMatch(l -> l.startsWith(heldRun.point().name() + ",") && l.endsWith(",1")),
                    SweepTable.read(dir).csv());
        }
        assertEquals(groups.size() - 1, outcomes.stream().mapToInt(o -> o.results().size()).sum(), "every other run trained");
        for (RunGroup g : groups.subList(1, groups.size())) {
            assertTrue(g.runs().get(0).dir().isFinished(), g.runs().get(0).name());
        }
        assertFalse(heldRun.dir().hasRunFiles(), "nothing was written into the held run");
        List<String> aboutHeld = said.stream().filter(l -> l.contains("skipped")).toList();
        assertEquals(1, aboutHeld.size(), said.toString());
        assertTrue(aboutHeld.get(0).startsWith(heldRun.dir().dir() + ": skipped, in use by pid " + ProcessHandle.current().pid())
                && aboutHeld.get(0).contains("run the same command again"), aboutHeld.get(0));
        assertEquals(0, SweepTable.read(dir).rows().stream().mapToInt(SweepTableRow::inProgress).sum(), "released: no run in progress");
    }

    @Test
    void noOneHoldsADirectoryWithoutALockOrWhoseWriterLetGo(@TempDir Path dir) throws IOException {
        assertTrue(DirectoryLock.holder(dir.resolve("never-made")).isEmpty());
        assertTrue(DirectoryLock.holder(dir).isEmpty(), "no lock file");
        try (DirectoryLock l = DirectoryLock.acquire(dir, "run directory")) {
            assertTrue(DirectoryLock.holder(dir).orElseThrow().startsWith("pid " + ProcessHandle.current().pid()));
        }
        assertTrue(Files.exists(dir.resolve(DirectoryLock.FILE)) && DirectoryLock.holder(dir).isEmpty(), "the file stays, the lock is gone");
    }
}
