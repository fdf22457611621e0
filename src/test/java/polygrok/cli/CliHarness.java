package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Runs polygrok's command line in-process and checks what a user sees when the input is bad: exit
 * code 2 and one line on stderr, starting "polygrok: ", naming the expected words, with no stack
 * trace and no Java class name. (A syntax error may quote the offending text on indented lines under
 * that line.)
 */
final class CliHarness {
    /** Java's own words that mean an exception leaked through: class names, package prefixes, trace lines. */
    static final Pattern JAVA_LEAK = Pattern.compile("Exception|Error:|\\tat |java\\.|javax\\.|jdk\\.|com\\.google\\.|net\\.razorvine");

    record Result(int code, String out, String err) {
    }

    private CliHarness() {
    }

    static Result run(List<String> args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        PrintStream oldErr = System.err, oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(System.err, true));
            cl.setOut(new PrintWriter(System.out, true));
            code = cl.execute(args.toArray(String[]::new));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8).strip());
    }

    /** Runs {@code args} and asserts the one clear line of a refused input; {@code tmp} is shortened in messages. */
    static void assertRefused(String name, List<String> args, List<String> expected, Path tmp) {
        Result r = run(args);
        String what = name + " (polygrok " + String.join(" ", args).replace(tmp.toString(), "TMP") + "): exit " + r.code()
                + ", stderr:\n" + r.err();
        assertEquals(2, r.code(), what);
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("polygrok: backend auto") && !l.startsWith("  ")).toList();
        assertEquals(1, lines.size(), "one line: " + what);
        assertTrue(lines.get(0).startsWith("polygrok: "), what);
        assertFalse(JAVA_LEAK.matcher(r.err()).find(), "no stack trace and no Java class name: " + what);
        for (String word : expected) {
            assertTrue(lines.get(0).contains(word), "the line should name \"" + word + "\": " + what);
        }
    }
}
