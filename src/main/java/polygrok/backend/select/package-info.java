/**
 * Picks a backend by name (auto, cpu, cpuref, cuda). It sits above the seam and its
 * implementations so that {@code polygrok.backend} never depends on the backends that implement it.
 */
package polygrok.backend.select;
