/**
 * The paper's published outcomes (Furuta et al., TMLR 2024: Table A.5, Table 1, the §8 mixture
 * findings) as data, and their comparison with runs polygrok trained. The cells live in
 * {@code src/main/resources/paper/*.json}, transcribed from the paper with the table, row and
 * column of each; nothing here computes them.
 */
package polygrok.analysis.paper;
