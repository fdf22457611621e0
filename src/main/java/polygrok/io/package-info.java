/**
 * Files the runs read and write: safetensors, JSON and JSON lines (never a bare NaN), whole-file writes
 * a crash cannot tear, and operating-system locks so that one process writes a directory at a time.
 */
package polygrok.io;
