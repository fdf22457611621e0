/**
 * The models the seed trains, transformer and MLP, as specs, parameter layouts in one [M, P] block,
 * seeded initial weights and forward passes; ModelGroup holds M models' parameters, gradients and AdamW state.
 */
package polygrok.model;
