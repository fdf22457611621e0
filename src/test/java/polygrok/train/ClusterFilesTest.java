package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped cluster files run a sweep the way Shard expects. */
class ClusterFilesTest {
    static int number(String text, String regex, String what) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + what + " (" + regex + ")");
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theKubernetesJobPassesItsCompletionCountAsShards() throws IOException {
        String yaml = Files.readString(Path.of("configs/cluster/k8s-indexed-job.yaml"));
        assertTrue(yaml.contains("completionMode: Indexed"), "an Indexed Job sets JOB_COMPLETION_INDEX");
        int completions = number(yaml, "completions:\\s*(\\d+)", "completions");
        int shards = number(yaml, "\"--shards\",\\s*\"(\\d+)\"", "--shards in the command");
        assertEquals(completions, shards, "--shards must equal the Job's completions, or shards are skipped or repeated");
        assertTrue(yaml.contains("\"sweep\""), "the container runs polygrok sweep");
    }

    @Test
    void theSlurmScriptRunsTheSweepAsTheBatchProcess() throws IOException {
        Path script = Path.of("configs/cluster/slurm-array.sh");
        String sh = Files.readString(script);
        assertTrue(Files.isExecutable(script) || !Files.getFileStore(script).supportsFileAttributeView("posix"), "script is executable");
        assertTrue(sh.contains("exec java") && sh.contains(" sweep "), "the JVM replaces the shell, so Slurm's TERM reaches it");
        assertTrue(sh.contains("#SBATCH --signal=B:TERM@"), "TERM before the time limit, so the task checkpoints");
    }
}
