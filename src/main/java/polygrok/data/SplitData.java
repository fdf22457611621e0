package polygrok.data;

import java.util.List;

/**
 * What the trainer consumes: train and test examples and the sizes the model must have.
 *
 * @param nCtx       input length
 * @param vocabSize  distinct input tokens (d_vocab of the embedding)
 * @param numClasses output logits the model must produce: vocabSize, or more for only_add
 * @param taskNames  one name per task; Examples.tasks index into it
 */
public record SplitData(int nCtx, int vocabSize, int numClasses, List<String> taskNames,
                        Examples train, Examples test) {
    public SplitData {
        taskNames = List.copyOf(taskNames);
        if (numClasses < vocabSize) {
            throw new IllegalArgumentException("split: num_classes " + numClasses + " below vocab size " + vocabSize);
        }
    }
}
