package polygrok.backend.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs the cuda test classes without Maven (a GPU machine may have none): one line per test, the
 * failures in full, exit status 0 only when every test ran and passed (a skip counts as a failure here:
 * on a GPU machine nothing may be skipped). Arguments: test class names (default: all cuda tests and the
 * backend conformance suite, whose cpu cases run alongside).
 * Classpath: target/classes, target/test-classes and the test dependencies
 * ({@code mvn dependency:copy-dependencies -DincludeScope=test}).
 */
public final class CudaTestMain {
    private CudaTestMain() {
    }

    public static void main(String[] args) {
        List<String> classes = args.length > 0 ? List.of(args) : List.of(
                "polygrok.backend.cuda.CudaGemmVariantsTest", "polygrok.backend.cuda.CudaGraphTest",
                "polygrok.backend.cuda.CudaProbeTest", "polygrok.backend.cuda.CudaKernelSignatureTest",
                "polygrok.backend.cuda.CudaLaunchArithmeticTest", "polygrok.backend.cuda.MatrixOpsHostTest",
                "polygrok.backend.OpShapesTest");
        System.out.println(CudaProbe.summary());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (String c : classes) {
            request.selectors(selectClass(c));
        }
        if (args.length == 0) {
            request.selectors(selectPackage("polygrok.backend.conformance"));
        }
        LauncherDiscoveryRequest discovery = request.build();
        List<String> skipped = new ArrayList<>();
        TestExecutionListener lines = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                System.out.println("SKIP " + id.getDisplayName() + ": " + reason);
                skipped.add(id.getDisplayName());
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) {
                    return;
                }
                String status = switch (result.getStatus()) {
                    case SUCCESSFUL -> "ok  ";
                    case ABORTED -> "SKIP";
                    case FAILED -> "FAIL";
                };
                if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                    skipped.add(id.getDisplayName());
                }
                String why = result.getThrowable().map(t -> ": " + t.getMessage()).orElse("");
                String where = id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                        .map(m -> m.getClassName().replace("polygrok.backend.cuda.", "") + "." + m.getMethodName() + " ")
                        .orElse("");
                System.out.println(status + " " + where + id.getDisplayName() + why);
            }
        };
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(discovery, lines, summary);
        summary.getSummary().printTo(new PrintWriter(System.out));
        summary.getSummary().printFailuresTo(new PrintWriter(System.out), 30);
        long failed = summary.getSummary().getTotalFailureCount();
        System.exit(failed == 0 && skipped.isEmpty() ? 0 : 1);
    }
}
