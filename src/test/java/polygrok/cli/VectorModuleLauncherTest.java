package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorModuleLauncherTest {

    @Test
    void commandAddsTheModuleKeepsOptionsAndArguments() {
        List<String> cmd = VectorModuleLauncher.command("/jvm/bin/java", List.of("-Xmx2g", "-Dx=y"), "app.jar", "4242@1700000000000",
                new String[]{"bench", "--backend", "cpu"});
        assertEquals(List.of("/jvm/bin/java", "--add-modules", "jdk.incubator.vector", "-Xmx2g", "-Dx=y",
                "-Dpolygrok.relaunched=true", "-Dpolygrok.launcher=4242@1700000000000", "-cp", "app.jar", "polygrok.cli.Main", "bench", "--backend", "cpu"), cmd);
    }

    @Test
    void aJvmWithoutTheModuleRelaunchesItselfAndPassesTheExitCode() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // started without --add-modules: Main re-launches, the child prints the version and exits 0
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "polygrok.cli.Main", "--version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "exit code; output: " + out);
        assertTrue(out.contains("polygrok"), "version line expected, got: " + out);
        // only the child loads the module; the JVM's notice about it is not passed on
        assertTrue(!out.contains("WARNING: Using incubator modules"), "the incubator notice should be filtered out; output: " + out);
    }

    @Test
    void theIncubatorNoticeIsDroppedAndEverythingElsePassesThrough() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        String rest = "polygrok: backend auto: cpu\nepoch 10\r epoch 20\r";
        VectorModuleLauncher.copyWithoutNotice(new java.io.ByteArrayInputStream(
                (VectorModuleLauncher.NOTICE + "\n" + rest).getBytes(StandardCharsets.UTF_8)), new java.io.PrintStream(out, true));
        assertEquals(rest, out.toString(StandardCharsets.UTF_8));
        out.reset();
        VectorModuleLauncher.copyWithoutNotice(new java.io.ByteArrayInputStream(rest.getBytes(StandardCharsets.UTF_8)),
                new java.io.PrintStream(out, true));
        assertEquals(rest, out.toString(StandardCharsets.UTF_8), "without the notice, nothing is dropped");
    }
}
