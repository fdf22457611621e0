/**
 * The float64 reference backend: plain loops written to be read, one model and one example at a time,
 * one class per op family; every faster backend is checked against it.
 */
package polygrok.backend.cpuref;
