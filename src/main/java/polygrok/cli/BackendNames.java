package polygrok.cli;

import java.util.Iterator;
import polygrok.backend.select.Backends;

/** Completion candidates for --backend. */
final class BackendNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Backends.NAMES.iterator();
    }
}
