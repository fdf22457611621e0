package polygrok.train;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of one run, as written to metrics.jsonl.
 *
 * @param norms    L1 and L2 norm of every parameter, by name
 * @param extra    further measures (e.g. ffd, fcr) added by analysis hooks; may be empty
 */
public record MetricsLine(int epoch, long step, double wallSeconds, SetMetrics train, SetMetrics test,
                          List<String> taskNames, Map<String, double[]> norms, Map<String, Double> extra) {

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("epoch", epoch);
        o.addProperty("step", step);
        o.addProperty("wall_s", wallSeconds);
        o.addProperty("train_loss", train.loss());
        o.addProperty("train_acc", train.acc());
        o.addProperty("train_prob", train.prob());
        o.addProperty("test_loss", test.loss());
        o.addProperty("test_acc", test.acc());
        o.addProperty("test_prob", test.prob());
        if (taskNames.size() > 1) {
            JsonObject tasks = new JsonObject();
            for (int t = 0; t < taskNames.size(); t++) {
                JsonObject one = new JsonObject();
                one.addProperty("train_loss", train.taskLoss()[t]);
                one.addProperty("train_acc", train.taskAcc()[t]);
                one.addProperty("train_prob", train.taskProb()[t]);
                one.addProperty("test_loss", test.taskLoss()[t]);
                one.addProperty("test_acc", test.taskAcc()[t]);
                one.addProperty("test_prob", test.taskProb()[t]);
                tasks.add(taskNames.get(t), one);
            }
            o.add("tasks", tasks);
        }
        JsonObject n = new JsonObject();
        norms.forEach((name, l1l2) -> {
            JsonObject one = new JsonObject();
            one.addProperty("l1", l1l2[0]);
            one.addProperty("l2", l1l2[1]);
            n.add(name, one);
        });
        o.add("norms", n);
        extra.forEach(o::addProperty);
        return o;
    }
}
