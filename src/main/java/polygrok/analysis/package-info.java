/**
 * What a trained run learned: Fourier spectra and the paper's progress measures (FFD, FCR, Gini) of
 * its checkpoints, PCA of the embeddings, restricted/excluded loss, analysis.json, and a sweep's Table A.5.
 */
package polygrok.analysis;
