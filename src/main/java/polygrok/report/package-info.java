/**
 * Pictures and pages of runs: self-contained HTML reports with charts and heatmaps, a live report
 * rewritten while runs train, summary tables and CSV, and the paper-beside-runs reproduction page.
 */
package polygrok.report;
