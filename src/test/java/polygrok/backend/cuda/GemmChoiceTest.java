package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The values of -Dpolygrok.cuda.gemm, checked without a GPU (opening the GEMM itself needs one). */
class GemmChoiceTest {
    @Test
    void everyDocumentedValueInAnyCase() {
        assertEquals(GemmChoice.Kind.OWN, GemmChoice.parse("own"));
        assertEquals(GemmChoice.Kind.TF32X3, GemmChoice.parse("TF32x3"));
        assertEquals(GemmChoice.Kind.CUBLAS, GemmChoice.parse("cuBLAS"));
        assertEquals(GemmChoice.Kind.AUTO, GemmChoice.parse("Auto"));
    }

    @Test
    void anUnknownValueIsRefusedAsWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmChoice.parse("Tensor"));
        assertEquals("-Dpolygrok.cuda.gemm=Tensor is not one of own, tf32x3, cublas, auto", e.getMessage());
    }

    @Test
    void ownIsTheDefault() {
        String before = System.getProperty(GemmChoice.PROPERTY);
        System.clearProperty(GemmChoice.PROPERTY);
        try {
            assertEquals("own", GemmChoice.fromProperty());
        } finally {
            if (before != null) {
                System.setProperty(GemmChoice.PROPERTY, before);
            }
        }
    }
}
