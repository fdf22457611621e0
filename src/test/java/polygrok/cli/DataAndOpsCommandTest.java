package polygrok.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `polygrok data` and `polygrok ops` through the real command line, output captured. */
class DataAndOpsCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void dataPrintsThePinnedTrainSplit() {
        Result r = run("data", "--op", "add", "--p", "97", "--train-fraction", "0.3", "--seed", "0", "--print", "train");
        assertEquals(0, r.code(), "exit code; stderr: " + r.err());
        String[] lines = r.out().split("\n");
        assertEquals(2822, lines.length, "train lines");
        assertEquals("[63, 40, 6]", lines[0], "first train example (63 + 40 mod 97)");
        assertEquals("[53, 60, 16]", lines[1], "second train example");
    }

    @Test
    void dataPrintsTestAndThreeOperands() {
        Result r = run("data", "--op", "add_z", "--p", "5", "--train-fraction", "0.5", "--seed", "1", "--print", "test");
        assertEquals(0, r.code(), "exit code; stderr: " + r.err());
        String[] lines = r.out().split("\n");
        assertEquals(125 - 62, lines.length, "test lines for 125 triples");
        for (String line : lines) {
            String[] v = line.replace("[", "").replace("]", "").split(", ");
            assertEquals(4, v.length, "values per line: " + line);
            int sum = Integer.parseInt(v[0]) + Integer.parseInt(v[1]) + Integer.parseInt(v[2]);
            assertEquals(sum % 5, Integer.parseInt(v[3]), "add_z answer in " + line);
        }
    }

    @Test
    void dataWithSeedRange() {
        Result r = run("data", "--op", "subtract", "--p", "7", "--train-fraction", "0.5", "--print", "train", "--operand-range", "p+5");
        assertEquals(0, r.code(), "exit code; stderr: " + r.err());
        assertEquals(72, r.out().split("\n").length, "train lines over range(p + 5)");
    }

    @Test
    void dataTakesAFormatTemplateAndAnOperandDomain() {
        Result r = run("data", "--op", "multiply", "--format", "a * b =", "--operand-domain", "b_nonzero", "--train-fraction", "0.5",
                "--print", "test");
        assertEquals(0, r.code(), "exit code; stderr: " + r.err());
        String[] lines = r.out().split("\n");
        assertEquals(9312 - 4656, lines.length, "test lines of Grokfast's 9,312 equations");
        for (String line : lines) {
            String[] v = line.replace("[", "").replace("]", "").split(", ");
            assertTrue(!v[1].equals("0"), "y = 0 in " + line);
            assertEquals(Integer.parseInt(v[0]) * Integer.parseInt(v[1]) % 97, Integer.parseInt(v[2]), "answer in " + line);
        }
        Result division = run("data", "--op", "division", "--operand-domain", "all");
        assertEquals(2, division.code(), "exit code for division on all pairs");
        assertTrue(division.err().contains("b != 0"), "stderr: " + division.err());
    }

    @Test
    void dataErrorsAreOneLine() {
        Result r = run("data", "--op", "nope", "--p", "7");
        assertEquals(2, r.code(), "exit code for an unknown op");
        assertTrue(r.err().startsWith("polygrok: unknown operation \"nope\""), "stderr: " + r.err());
        Result frac = run("data", "--op", "add", "--train-fraction", "1.5");
        assertEquals(2, frac.code(), "exit code for a bad fraction");
        assertTrue(frac.err().contains("train_fraction = 1.5"), "stderr: " + frac.err());
        Result side = run("data", "--op", "add", "--print", "both");
        assertEquals(2, side.code(), "exit code for a bad --print");
    }

    @Test
    void opsListsEveryOperationWithFormulaAndFormat() {
        Result r = run("ops");
        assertEquals(0, r.code(), "exit code; stderr: " + r.err());
        for (String name : polygrok.data.Operations.names()) {
            assertTrue(r.out().contains("\n" + name + " "), "ops output lists " + name);
        }
        assertTrue(r.out().contains("(a^3 + a*b^2 + b) mod p"), "x3_xy2_y formula");
        assertTrue(r.out().contains("[a, *, a, *, a, +, a, *, b, *, b, +, b]"), "x3_xy2_y long format");
        assertTrue(r.out().contains("[a, /, b]"), "division format");
    }
}
