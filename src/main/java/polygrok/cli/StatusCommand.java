package polygrok.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import polygrok.report.StatusTable;

/** `polygrok status DIR...`: where every run under the directories stands, one line each. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show where every run under the directories stands: training (and by which process), ended"
                + " (grokked or not) or stopped part-way; its epoch and budget, test accuracy, recent epochs per"
                + " second and the time to its budget at that rate. Reads the run files only; safe while runs train.")
final class StatusCommand implements Runnable {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "run directories, or directories holding runs (a train or sweep output)")
    List<Path> dirs;

    @Override
    public void run() {
        List<String> lines;
        try {
            lines = StatusTable.render(StatusTable.scan(dirs));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        lines.forEach(System.out::println);
    }
}
