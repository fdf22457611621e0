package polygrok.cli;

import java.util.List;

import picocli.CommandLine;

/**
 * Turns the errors a user can cause (bad config, missing file, no GPU) into one clear line and
 * exit code 2; anything else is a bug and keeps its stack trace.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof UserError || e instanceof IllegalArgumentException || e instanceof java.io.IOException
                || e instanceof java.io.UncheckedIOException || e instanceof IllegalStateException) {
            cl.getErr().println("polygrok: " + describe(e));
            if (System.getenv("POLYGROK_DEBUG") != null) {
                e.printStackTrace(cl.getErr());
            }
            return 2;
        }
        throw new RuntimeException(e);
    }

    /**
     * A command line picocli cannot parse: one line with what is wrong, the nearest command or option
     * when there is one, and where the usage is, instead of the whole usage text.
     */
    static int parameterError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        StringBuilder line = new StringBuilder("polygrok: ").append(e.getMessage().strip().replace('\n', ' '));
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> near = u.getSuggestions();
            if (!near.isEmpty()) {
                line.append(" (did you mean ").append(String.join(" or ", near.stream().limit(3).toList())).append("?)");
            }
        }
        line.append("; see '").append(cl.getCommandSpec().qualifiedName()).append(" --help'");
        cl.getErr().println(line);
        cl.getErr().flush();
        return 2;
    }

    static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof java.io.UncheckedIOException u && u.getCause() != null) {
            return e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
