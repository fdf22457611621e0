/**
 * Reverse-mode differentiation over Backend ops: the tape records each op's backward, Var holds a value
 * and its gradient, Ops are the differentiable model ops and Loss the cross-entropy's result. No model concepts.
 */
package polygrok.autograd;
