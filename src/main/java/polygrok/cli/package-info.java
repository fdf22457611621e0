/**
 * The polygrok command line (picocli): each command parses its options, calls one job or library
 * function and prints; errors a user can cause become one clear line, and the jar relaunches itself with the Vector API.
 */
package polygrok.cli;
