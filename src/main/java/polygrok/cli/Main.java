package polygrok.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `polygrok` command line: one sub-command per job. */
@Command(name = "polygrok",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Train small transformers until they grok modular arithmetic and polynomials, then show what they learned.",
        subcommands = {
                CommandLine.HelpCommand.class,
                TrainCommand.class,
                FinetuneCommand.class,
                SweepCommand.class,
                GradcheckCommand.class,
                BenchCommand.class,
                DataCommand.class,
                OpsCommand.class,
                AnalyzeCommand.class,
                ReportCommand.class,
                StatusCommand.class,
                ConvertCommand.class,
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        java.util.OptionalInt relaunched = VectorModuleLauncher.relaunchIfNeeded(args);
        if (relaunched.isPresent()) {
            System.exit(relaunched.getAsInt());
        }
        LauncherWatch.startIfWorker();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by main and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        cl.setParameterExceptionHandler(Errors::parameterError);
        // "" as a path means the working directory to Path.of, which no user means: refuse it for every option
        cl.registerConverter(java.nio.file.Path.class, s -> {
            if (s.isBlank()) {
                throw new CommandLine.TypeConversionException("an empty path; give a file or directory name");
            }
            return java.nio.file.Path.of(s);
        });
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"polygrok " + (v == null ? "(development build)" : v)};
        }
    }
}
