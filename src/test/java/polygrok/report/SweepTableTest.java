package polygrok.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.analysis.SweepTable;
import polygrok.analysis.SweepTableRow;

/** The sweep table from hand-written run directories: statistics over seeds, grid order, CSV and HTML. */
class SweepTableTest {
    static void run(Path dir, String ops, double lr, String summary, String metrics) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"p\": 97, \"ops\": [" + ops + "], \"train_fraction\": 0.3,"
                + " \"optimizer\": {\"lr\": " + lr + ", \"weight_decay\": 1.0}}");
        if (summary != null) {
            Files.writeString(dir.resolve("summary.json"), summary);
        }
        if (metrics != null) {
            Files.writeString(dir.resolve("metrics.jsonl"), metrics);
        }
    }

    static String summary(String epochsTo99, double best, String finalLine) {
        return "{\"ops\": [\"add\"], \"p\": 97, \"train_fraction\": 0.3, \"epochs_to_acc\": {\"0.5\": 10, \"0.9\": 20, \"0.99\": "
                + epochsTo99 + "}, \"best_test_acc\": " + best + ", \"final\": " + finalLine + "}";
    }

    @Test
    void rowsAggregateSeedsInGridOrder(@TempDir Path sweep) throws IOException {
        Path add = sweep.resolve("add_f0.3");
        run(add.resolve("seed_0"), "\"add\"", 1e-3, summary("100", 1.0, "{\"epoch\": 999, \"ffd\": 0.2, \"fcr\": 0.9}"), null);
        run(add.resolve("seed_1"), "\"add\"", 1e-3, summary("200", 1.0, "{\"epoch\": 999, \"ffd\": 0.4, \"fcr\": 0.7}"), null);
        // the last line has no Fourier measures: the newest line that has them counts
        run(add.resolve("seed_2"), "\"add\"", 1e-3, summary("null", 0.5, "{\"epoch\": 999}"),
                "{\"epoch\": 0, \"ffd\": 0.9, \"fcr\": 0.1}\n{\"epoch\": 900, \"ffd\": 0.3, \"fcr\": 0.8}\n{\"epoch\": 999}\n");
        run(add.resolve("seed_3"), "\"add\"", 1e-3, null, null); // still running
        run(sweep.resolve("add,multiply_f0.3").resolve("seed_0"), "\"add\", \"multiply\"", 1e-3,
                summary("null", 0.25, "{\"epoch\": 999}"), "{\"epoch\": 999}\n");
        Files.createDirectories(sweep.resolve("not_a_point"));
        Files.writeString(sweep.resolve("sweep.json"), "{\"points\": [\"add,multiply_f0.3\", \"add_f0.3\"]}");

        SweepTable t = SweepTable.read(sweep);
        assertEquals(List.of("add,multiply_f0.3", "add_f0.3"), t.rows().stream().map(SweepTableRow::point).toList(),
                "grid order from sweep.json; directories without seed_* are not points");
        SweepTableRow r = t.rows().get(1);
        assertEquals("add", r.ops());
        assertEquals(97, r.p());
        assertEquals(0.3, r.trainFraction(), 0.0, "train_fraction");
        assertEquals(1e-3, r.lr(), 0.0, "lr");
        assertEquals(List.of(0L, 1L, 2L), r.seeds(), "finished seeds");
        assertEquals(1, r.unfinished(), "seed_3 has no summary");
        assertEquals(2, r.grokked());
        assertEquals(2.0 / 3, r.grokkedFraction(), 1e-15, "grokked fraction");
        assertEquals(150, r.epochsTo99().mean(), 1e-12, "epochs to 99% mean over the 2 that grokked");
        assertEquals(Math.sqrt(5000), r.epochsTo99().std(), 1e-12, "sample standard deviation of 100 and 200");
        assertEquals(2.5 / 3, r.bestTestAcc().mean(), 1e-12, "best test accuracy mean");
        assertEquals(0.3, r.ffdEnd().mean(), 1e-12, "FFD end mean of 0.2, 0.4 and 0.3");
        assertEquals(0.8, r.fcrEnd().mean(), 1e-12, "FCR end mean of 0.9, 0.7 and 0.8");
        SweepTableRow mix = t.rows().get(0);
        assertEquals("add + multiply", mix.ops());
        assertEquals(0, mix.grokked());
        assertEquals(0, mix.epochsTo99().n());
        assertTrue(Double.isNaN(mix.bestTestAcc().std()), "no spread from one seed");
        assertEquals(0, mix.ffdEnd().n(), "no FFD logged");

        SweepTableHtml.write(t);
        List<String> csv = Files.readAllLines(sweep.resolve("table.csv"));
        assertEquals(3, csv.size(), "header and two rows");
        assertTrue(csv.get(0).startsWith("point,ops,p,train_fraction,lr,weight_decay,seeds,finished,unfinished,grokked,grokked_fraction,"
                + "epochs_to_99_mean,epochs_to_99_std"), csv.get(0));
        assertTrue(csv.get(1).startsWith("\"add,multiply_f0.3\",add + multiply,97,0.3,0.001,1,0,1,0,0,0,,,0.25,,,,,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("add_f0.3,add,97,0.3,0.001,1,0 1 2,3,1,2,0.6666666666666666,150,70.71067811865476,"), csv.get(2));
        String html = Files.readString(sweep.resolve("table.html"));
        assertTrue(html.startsWith("<table class=\"sweep-table\">"), "an embeddable fragment: " + html);
        assertTrue(html.contains("150 <span class=\"sd\">\u00b1 71</span>"), html);
        assertTrue(html.contains("<span class=\"no\">never</span>"), html);
        assertTrue(html.contains("(+1 unfinished)"), html);

        String report = ReportBuilder.build("sweep", List.of(sweep)).html();
        assertTrue(report.contains("<table class=\"sweep-table\">"), "a report of a sweep directory embeds its table");
    }
}
