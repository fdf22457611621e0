package polygrok.analysis.paper;

import java.util.List;

/**
 * One published cell: where it is (table, row, column), what the paper prints there, and what that
 * predicts at each train fraction. A Table A.5 cell is one fraction; a Table 1 cell ("smallest r")
 * predicts every fraction: grokking from that r on, none below it.
 *
 * @param paperValue the cell as printed: a check mark, a cross, "r 0.4", "3.1%"
 * @param source     table, row and column in the paper
 */
public record PaperCell(String table, String row, String column, String paperValue, String source, RunSelector selector,
                        List<Expectation> expectations) {
    public PaperCell {
        expectations = List.copyOf(expectations);
    }
}
