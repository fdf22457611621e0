package polygrok.config;

import java.util.Iterator;
import java.util.ServiceLoader;

/** The registered {@link OperationCheck}, found once through ServiceLoader. */
final class OperationChecks {
    private static volatile OperationCheck installed;

    private OperationChecks() {
    }

    static OperationCheck get() {
        OperationCheck c = installed;
        if (c == null) {
            Iterator<OperationCheck> it = ServiceLoader.load(OperationCheck.class, OperationCheck.class.getClassLoader()).iterator();
            if (!it.hasNext()) {
                throw new IllegalStateException("no operation registry found (META-INF/services/"
                        + OperationCheck.class.getName() + " is missing from the class path)");
            }
            c = it.next();
            installed = c;
        }
        return c;
    }
}
