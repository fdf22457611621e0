package polygrok.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.Backend;
import polygrok.backend.WeightLayout;
import polygrok.tensor.DType;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * float32 tensors in device memory and polygrok's own kernels (src/main/cuda), loaded with the JCuda
 * driver API. Everything runs on one non-default stream of the device's primary context, so calls are
 * asynchronous; only {@link #toDoubles}, {@link #toInts} and {@link #synchronize} wait.
 *
 * <p>System properties: {@code polygrok.cuda.gemm=own|cublas|auto} picks the matrix products (our
 * kernel by default; auto = cuBLAS when it loads); {@code polygrok.cuda.sync=true} waits after every
 * launch so that a failing kernel is named.
 */
public final class CudaBackend implements Backend {
    static final String GEMM_PROPERTY = "polygrok.cuda.gemm";
    /** System property that lets the first block use per-vocabulary tables on the GPU (see {@link #tokenTables}). */
    public static final String TOKEN_TABLES_PROPERTY = "polygrok.cuda.tokenTables";
    private static final System.Logger LOG = System.getLogger("polygrok.cuda");

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final String description;
    /** SMs of the device: our GEMM's plan sizes its waves of blocks by them. */
    private final int multiprocessors;
    private final KernelModules modules;
    private final KernelRunner runner;
    private final ElementwiseKernels elementwise;
    private final EmbedKernels embed;
    private final CrossEntropyKernels xent;
    private final AdamWKernels adamw;
    private final NormsKernels norms;
    private final LayerNormKernels layerNorm;
    private final ActivationKernels activations;
    private final Gemm gemm;
    private final Scratch scratch;
    private final MatrixOps matrix;
    private final boolean tokenTables = Boolean.getBoolean(TOKEN_TABLES_PROPERTY);
    private final GraphCache graphs;
    private final Set<DeviceStorage> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    /** Opens device 0. Fails with a clear message when there is none; check {@link CudaProbe#whyUnavailable()} first. */
    public CudaBackend() {
        CudaProbe.whyUnavailable().ifPresent(why -> {
            throw new IllegalStateException("the cuda backend is unavailable: " + why);
        });
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        cuDeviceGet(device, 0);
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        cuStreamCreate(stream, CUstream_flags.CU_STREAM_DEFAULT);
        int[] major = {0}, minor = {0};
        cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        int[] sms = {0};
        cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
        multiprocessors = sms[0];
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, device);
        modules = new KernelModules(major[0], minor[0]);
        description = cString(name) + " (compute capability " + major[0] + "." + minor[0] + ", kernels from "
                + modules.format() + ")";
        bound.set(true);
        runner = new KernelRunner(modules, stream, this::bind);
        elementwise = new ElementwiseKernels(runner);
        embed = new EmbedKernels(runner);
        xent = new CrossEntropyKernels(runner);
        adamw = new AdamWKernels(runner);
        norms = new NormsKernels(runner);
        layerNorm = new LayerNormKernels(runner);
        activations = new ActivationKernels(runner);
        // ~25 ms at H200 clocks: far longer than the host needs to queue one step's launches and events
        graphs = new GraphCache(runner, () -> elementwise.holdStream(50_000_000L));
        scratch = new Scratch(new Scratch.Allocator() {
            @Override
            public CUdeviceptr allocate(long bytes) {
                CUdeviceptr p = new CUdeviceptr();
                cuMemAlloc(p, bytes);
                return p;
            }

            @Override
            public void free(CUdeviceptr p) {
                cuMemFree(p);
            }
        }, () -> {
            cuStreamSynchronize(stream);
            graphs.forget();
        }, runner::capturing);
        gemm = chooseGemm(System.getProperty(GEMM_PROPERTY, "own"));
        matrix = new MatrixOps(gemm, activations, new AttentionKernels(runner), elementwise, scratch);
        LOG.log(System.Logger.Level.INFO, "cuda backend on " + description + ", matrix products: " + gemm.name()
                + (tokenTables ? ", first block from token tables" : "")
                + (Boolean.getBoolean(KernelRunner.SYNC_PROPERTY) ? ", synchronizing after every launch" : ""));
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }

    private Gemm chooseGemm(String choice) {
        String c = choice.toLowerCase(Locale.ROOT);
        if (c.equals("own")) {
            return new OwnGemm(runner, scratch, multiprocessors);
        }
        if (c.equals("tf32x3")) {
            // the tensor-core kernel has been checked by host emulation, not yet on a GPU: asked for, never chosen
            return new OwnGemm(runner, scratch, multiprocessors, true);
        }
        if (!c.equals("cublas") && !c.equals("auto")) {
            throw new IllegalArgumentException("-D" + GEMM_PROPERTY + "=" + choice + " is not one of own, tf32x3, cublas, auto");
        }
        CublasGemm.Result r = CublasGemm.open(stream);
        if (r.gemm().isPresent()) {
            return r.gemm().get();
        }
        if (c.equals("cublas")) {
            throw new IllegalStateException("-D" + GEMM_PROPERTY + "=cublas but cuBLAS is unusable: " + r.whyNot());
        }
        LOG.log(System.Logger.Level.INFO, "cuBLAS unusable (" + r.whyNot() + "); using polygrok's own GEMM");
        return new OwnGemm(runner, scratch, multiprocessors);
    }

    /** The device and kernel format, e.g. for logs and benchmark records. */
    public String description() {
        return description;
    }

    /** "own", "own-tf32x3" or "cublas". */
    public String gemmName() {
        return gemm.name();
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    // ---- memory -------------------------------------------------------------------------------

    /** Threads on which the context has been made current (a CUDA context is current per thread). */
    private final ThreadLocal<Boolean> bound = ThreadLocal.withInitial(() -> false);

    private void bind() {
        if (closed) {
            throw new IllegalStateException("cuda backend used after close");
        }
        if (!bound.get()) {
            cuCtxSetCurrent(context);
            bound.set(true);
        }
    }

    private DeviceStorage allocate(long elements, DType type) {
        bind();
        CUdeviceptr p = new CUdeviceptr();
        if (elements > 0) {
            cuMemAlloc(p, elements * DeviceStorage.ELEMENT_BYTES);
        }
        DeviceStorage[] self = new DeviceStorage[1];
        self[0] = new DeviceStorage(p, elements, type, () -> {
            cuStreamSynchronize(stream); // the stream may still be using the memory
            live.remove(self[0]);
        });
        live.add(self[0]);
        return self[0];
    }

    @Override
    public Tensor zeros(Shape shape) {
        DeviceStorage s = allocate(shape.size(), DType.F32);
        if (shape.size() > 0) {
            cuMemsetD32Async(s.at(0), 0, shape.size(), stream);
        }
        return new Tensor(s, 0, shape);
    }

    @Override
    public Tensor ints(Shape shape, int[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(values.length + " values for I32 shape " + shape);
        }
        DeviceStorage s = allocate(shape.size(), DType.I32);
        if (values.length > 0) {
            // A synchronous copy on the legacy stream: ordered after earlier work of our blocking stream
            // and before later work, without a host wait on the stream.
            cuMemcpyHtoD(s.at(0), Pointer.to(values), (long) values.length * DeviceStorage.ELEMENT_BYTES);
        }
        return new Tensor(s, 0, shape);
    }

    @Override
    public void upload(Tensor dst, double[] values) {
        bind();
        if (values.length != dst.size()) {
            throw new IllegalArgumentException(values.length + " values for " + dst);
        }
        DeviceView v = DeviceView.of(dst, DType.F32);
        int per = perModel(dst);
        float[] f = new float[per];
        for (int m = 0; m < dst.models(); m++) {
            for (int j = 0; j < per; j++) {
                f[j] = (float) values[m * per + j];
            }
            // synchronous legacy-stream copy: see ints()
            cuMemcpyHtoD(v.ptr().withByteOffset(DeviceStorage.byteOffset(m * v.modelStride())), Pointer.to(f),
                    (long) per * DeviceStorage.ELEMENT_BYTES);
        }
    }

    @Override
    public void uploadInts(Tensor dst, int[] values) {
        bind();
        if (values.length != dst.size()) {
            throw new IllegalArgumentException(values.length + " values for " + dst);
        }
        DeviceView v = DeviceView.of(dst, DType.I32);
        int per = perModel(dst);
        for (int m = 0; m < dst.models(); m++) {
            // synchronous legacy-stream copy: see ints()
            cuMemcpyHtoD(v.ptr().withByteOffset(DeviceStorage.byteOffset(m * v.modelStride())),
                    Pointer.to(values).withByteOffset((long) m * per * DeviceStorage.ELEMENT_BYTES),
                    (long) per * DeviceStorage.ELEMENT_BYTES);
        }
    }

    @Override
    public double[] toDoubles(Tensor t) {
        synchronize();
        int per = perModel(t);
        double[] out = new double[Math.toIntExact(t.size())];
        if (t.dtype() == DType.I32) {
            int[] ints = toInts(t);
            for (int i = 0; i < ints.length; i++) {
                out[i] = ints[i];
            }
            return out;
        }
        DeviceView v = DeviceView.of(t, DType.F32);
        float[] f = new float[per];
        for (int m = 0; m < t.models(); m++) {
            if (per > 0) {
                cuMemcpyDtoH(Pointer.to(f), v.ptr().withByteOffset(DeviceStorage.byteOffset(m * v.modelStride())),
                        (long) per * DeviceStorage.ELEMENT_BYTES);
            }
            for (int j = 0; j < per; j++) {
                out[m * per + j] = f[j];
            }
        }
        return out;
    }

    @Override
    public int[] toInts(Tensor t) {
        synchronize();
        DeviceView v = DeviceView.of(t, DType.I32);
        int per = perModel(t);
        int[] out = new int[Math.toIntExact(t.size())];
        int[] row = new int[per];
        for (int m = 0; m < t.models(); m++) {
            if (per > 0) {
                cuMemcpyDtoH(Pointer.to(row), v.ptr().withByteOffset(DeviceStorage.byteOffset(m * v.modelStride())),
                        (long) per * DeviceStorage.ELEMENT_BYTES);
            }
            System.arraycopy(row, 0, out, m * per, per);
        }
        return out;
    }

    @Override
    public void synchronize() {
        bind();
        if (runner.capturing()) {
            throw new IllegalStateException("synchronize/toDoubles/toInts inside runRepeatable work: a captured graph cannot wait for the host");
        }
        cuStreamSynchronize(stream);
    }

    private static int perModel(Tensor t) {
        return Math.toIntExact(t.perModel());
    }

    private static DeviceView f(Tensor t) {
        return DeviceView.of(t, DType.F32);
    }

    private static DeviceView i(Tensor t) {
        return DeviceView.of(t, DType.I32);
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": shape mismatch " + a.shape() + " vs " + b.shape());
        }
    }

    private static boolean empty(Tensor t) {
        return t.size() == 0;
    }

    @Override
    public void fill(Tensor t, double value) {
        if (!empty(t)) {
            elementwise.fill(f(t), t.models(), perModel(t), (float) value);
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        sameShape("copy", src, dst);
        if (!empty(src)) {
            elementwise.copy(f(src), f(dst), src.models(), perModel(src));
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        sameShape("add", a, b);
        sameShape("add", a, out);
        if (!empty(a)) {
            elementwise.add(f(a), f(b), f(out), a.models(), perModel(a));
        }
    }

    // ---- embedding ----------------------------------------------------------------------------

    @Override
    public void embedForward(Tensor wE, Tensor tokens, Tensor out) {
        ShapeCheck.requireSize("embedForward", "out", out, tokens.models(), tokens.perModel() * wE.dim(1));
        if (!empty(out)) {
            embed.forward(f(wE), i(tokens), f(out), out.models(), perModel(tokens), wE.dim(1), wE.dim(2));
        }
    }

    @Override
    public void embedBackward(Tensor dOut, Tensor tokens, Tensor dWE) {
        ShapeCheck.requireSize("embedBackward", "dOut", dOut, tokens.models(), tokens.perModel() * dWE.dim(1));
        if (!empty(dOut)) {
            embed.backward(f(dOut), i(tokens), f(dWE), dOut.models(), perModel(tokens), dWE.dim(1), dWE.dim(2));
        }
    }

    @Override
    public void positionalForward(Tensor wPos, Tensor x) {
        if (wPos.dim(1) < x.dim(2)) {
            throw new IllegalArgumentException("positionalForward: W_pos " + wPos.shape() + " has fewer positions than x " + x.shape());
        }
        if (!empty(x)) {
            embed.positionalForward(f(wPos), f(x), x.models(), x.dim(1), x.dim(2), x.dim(3));
        }
    }

    @Override
    public void positionalBackward(Tensor dX, Tensor dWPos) {
        if (!empty(dX)) {
            embed.positionalBackward(f(dX), f(dWPos), dX.models(), dX.dim(1), dX.dim(2), dX.dim(3));
        }
    }

    // ---- attention ----------------------------------------------------------------------------

    /** Sizes of an attention call, after checking every tensor the kernels will index. */
    static MatrixOps.AttentionDims attentionDims(String op, Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO,
                                                         boolean lastOnly, AttentionSaved s) {
        int m = x.models(), b = x.dim(1), t = x.dim(2), d = x.dim(3), h = wQ.dim(1), dh = wQ.dim(2);
        ShapeCheck.require(op, "W_Q", wQ, m, h, dh, d);
        ShapeCheck.require(op, "W_K", wK, m, h, dh, d);
        ShapeCheck.require(op, "W_V", wV, m, h, dh, d);
        ShapeCheck.require(op, "W_O", wO, m, d, h * dh);
        ShapeCheck.require(op, "saved.k", s.k(), m, b, t, h, dh);
        return attentionCoreDims(op, wO, lastOnly, s);
    }

    @Override
    public void attentionForward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                 AttentionSaved s, Tensor out) {
        if (empty(x)) {
            return;
        }
        MatrixOps.AttentionDims a = attentionDims("attentionForward", x, wQ, wK, wV, wO, lastOnly, s);
        ShapeCheck.require("attentionForward", "out", out, a.models(), a.batch(), a.tq(), a.d());
        matrix.attentionForward(f(x), f(wQ), f(wK), f(wV), f(wO), f(s.q()), f(s.k()), f(s.v()), f(s.pattern()),
                f(s.z()), f(out), a);
    }

    @Override
    public void attentionBackward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                  AttentionSaved s, Tensor dOut,
                                  Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        if (empty(x)) {
            return;
        }
        String op = "attentionBackward";
        MatrixOps.AttentionDims a = attentionDims(op, x, wQ, wK, wV, wO, lastOnly, s);
        ShapeCheck.require(op, "dOut", dOut, a.models(), a.batch(), a.tq(), a.d());
        ShapeCheck.require(op, "dX", dX, x.shape().dims());
        ShapeCheck.require(op, "dW_Q", dWQ, wQ.shape().dims());
        ShapeCheck.require(op, "dW_K", dWK, wK.shape().dims());
        ShapeCheck.require(op, "dW_V", dWV, wV.shape().dims());
        ShapeCheck.require(op, "dW_O", dWO, wO.shape().dims());
        matrix.attentionBackward(f(x), f(wQ), f(wK), f(wV), f(wO), f(s.q()), f(s.k()), f(s.v()), f(s.pattern()),
                f(s.z()), f(dOut), f(dX), f(dWQ), f(dWK), f(dWV), f(dWO), a);
    }

    /** Sizes of an attention-core call, after checking every tensor the kernels will index. */
    static MatrixOps.AttentionDims attentionCoreDims(String op, Tensor wO, boolean lastOnly, AttentionSaved s) {
        Tensor k = s.k();
        int m = k.models(), b = k.dim(1), t = k.dim(2), h = k.dim(3), dh = k.dim(4), d = wO.dim(1), tq = lastOnly ? 1 : t;
        ShapeCheck.require(op, "W_O", wO, m, d, h * dh);
        ShapeCheck.require(op, "saved.q", s.q(), m, b, tq, h, dh);
        ShapeCheck.require(op, "saved.v", s.v(), m, b, t, h, dh);
        ShapeCheck.require(op, "saved.pattern", s.pattern(), m, b, h, tq, t);
        ShapeCheck.require(op, "saved.z", s.z(), m, b, tq, h * dh);
        AttentionKernels.checkContext(t);
        return new MatrixOps.AttentionDims(m, b, t, d, h, dh, lastOnly);
    }

    @Override
    public void attentionCoreForward(Tensor wO, boolean lastOnly, AttentionSaved s, Tensor out) {
        if (empty(s.k())) {
            return;
        }
        MatrixOps.AttentionDims a = attentionCoreDims("attentionCoreForward", wO, lastOnly, s);
        ShapeCheck.require("attentionCoreForward", "out", out, a.models(), a.batch(), a.tq(), a.d());
        matrix.attentionCoreForward(f(wO), f(s.q()), f(s.k()), f(s.v()), f(s.pattern()), f(s.z()), f(out), a);
    }

    @Override
    public void attentionCoreBackward(Tensor wO, boolean lastOnly, AttentionSaved s, Tensor dOut,
                                      Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        if (empty(s.k())) {
            return;
        }
        String op = "attentionCoreBackward";
        MatrixOps.AttentionDims a = attentionCoreDims(op, wO, lastOnly, s);
        ShapeCheck.require(op, "dOut", dOut, a.models(), a.batch(), a.tq(), a.d());
        ShapeCheck.requireSize(op, "dQ", dQ, a.models(), (long) a.batch() * a.tq() * a.hd());
        ShapeCheck.requireSize(op, "dK", dK, a.models(), (long) a.batch() * a.t() * a.hd());
        ShapeCheck.requireSize(op, "dV", dV, a.models(), (long) a.batch() * a.t() * a.hd());
        ShapeCheck.require(op, "dW_O", dWO, wO.shape().dims());
        matrix.attentionCoreBackward(f(wO), f(s.q()), f(s.k()), f(s.v()), f(s.pattern()), f(s.z()), f(dOut),
                f(dQ), f(dK), f(dV), f(dWO), a);
    }

    /**
     * The first-block token tables run the attention core through kernels already checked on a GPU,
     * but this composition has not run on one yet: off unless {@value #TOKEN_TABLES_PROPERTY} is true
     * (read once, when the backend opens: a captured step must keep the path it was captured with).
     */
    @Override
    public boolean tokenTables() {
        return tokenTables;
    }

    // ---- MLP, linear, activations -------------------------------------------------------------

    @Override
    public void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out) {
        int d = x.dim(-1), f = wIn.dim(1), n = perModel(x) / d;
        checkMlp("mlpForward", x, wIn, wOut, pre, out, d, f, n);
        if (n > 0) {
            matrix.mlpForward(f(x), f(wIn), f(wOut), act, f(pre), f(out), x.models(), n, d, f);
        }
    }

    @Override
    public void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                            Tensor dX, Tensor dWIn, Tensor dWOut) {
        int d = x.dim(-1), f = wIn.dim(1), n = perModel(x) / d;
        checkMlp("mlpBackward", x, wIn, wOut, pre, dOut, d, f, n);
        ShapeCheck.requireSize("mlpBackward", "dX", dX, x.models(), (long) n * d);
        ShapeCheck.require("mlpBackward", "dW_in", dWIn, wIn.shape().dims());
        ShapeCheck.require("mlpBackward", "dW_out", dWOut, wOut.shape().dims());
        if (n > 0) {
            matrix.mlpBackward(f(x), f(wIn), f(wOut), act, f(pre), f(dOut), f(dX), f(dWIn), f(dWOut), x.models(), n, d, f);
        }
    }

    static void checkMlp(String op, Tensor x, Tensor wIn, Tensor wOut, Tensor pre, Tensor out, int d, int f, int n) {
        int m = x.models();
        ShapeCheck.require(op, "W_in", wIn, m, f, d);
        ShapeCheck.require(op, "W_out", wOut, m, d, f);
        ShapeCheck.requireSize(op, "pre", pre, m, (long) n * f);
        ShapeCheck.requireSize(op, "out/dOut", out, m, (long) n * d);
    }

    /** x [M, n, in], W [M, out, in] or [M, in, out], y [M, n, out]. */
    static void checkLinear(String op, Tensor x, Tensor w, WeightLayout layout, Tensor y, int n, int in, int out) {
        int m = x.models();
        if (layout == WeightLayout.OUT_IN) {
            ShapeCheck.require(op, "W (OUT_IN)", w, m, out, in);
        } else {
            ShapeCheck.require(op, "W (IN_OUT)", w, m, in, out);
        }
        ShapeCheck.requireSize(op, "y/dY", y, m, (long) n * out);
    }

    @Override
    public void linearForward(Tensor x, Tensor w, WeightLayout layout, Tensor y) {
        int in = x.dim(-1), out = y.dim(-1), n = perModel(x) / in;
        checkLinear("linearForward", x, w, layout, y, n, in, out);
        if (n > 0) {
            matrix.linearForward(f(x), f(w), layout, f(y), x.models(), n, in, out);
        }
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        int in = x.dim(-1), out = dY.dim(-1), n = perModel(x) / in;
        checkLinear("linearBackward", x, w, layout, dY, n, in, out);
        ShapeCheck.requireSize("linearBackward", "dX", dX, x.models(), (long) n * in);
        ShapeCheck.require("linearBackward", "dW", dW, w.shape().dims());
        if (n > 0) {
            matrix.linearBackward(f(x), f(w), layout, f(dY), f(dX), f(dW), x.models(), n, in, out);
        }
    }

    @Override
    public void activationForward(Activation act, Tensor x, Tensor out) {
        sameShape("activationForward", x, out);
        if (!empty(x)) {
            activations.forward(act, f(x), f(out), x.models(), perModel(x));
        }
    }

    @Override
    public void activationBackward(Activation act, Tensor x, Tensor dOut, Tensor dX) {
        sameShape("activationBackward", x, dX);
        if (!empty(x)) {
            activations.backward(act, f(x), f(dOut), f(dX), x.models(), perModel(x), true);
        }
    }

    @Override
    public void layerNormForward(Tensor x, Tensor w, Tensor b, double eps, Tensor mean, Tensor rstd, Tensor out) {
        int d = x.dim(-1), rows = perModel(x) / d;
        if (rows > 0) {
            layerNorm.forward(f(x), f(w), f(b), (float) eps, f(mean), f(rstd), f(out), x.models(), rows, d);
        }
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        int d = x.dim(-1), rows = perModel(x) / d;
        if (rows > 0) {
            layerNorm.backward(f(x), f(w), f(mean), f(rstd), f(dOut), f(dX), f(dW), f(dB), x.models(), rows, d);
        }
    }

    // ---- positions ----------------------------------------------------------------------------

    @Override
    public void lastPositionForward(Tensor x, Tensor out) {
        if (!empty(out)) {
            elementwise.lastPositionForward(f(x), f(out), x.models(), x.dim(1), x.dim(2), x.dim(3));
        }
    }

    @Override
    public void lastPositionBackward(Tensor dOut, Tensor dX) {
        if (!empty(dOut)) {
            elementwise.lastPositionBackward(f(dOut), f(dX), dX.models(), dX.dim(1), dX.dim(2), dX.dim(3));
        }
    }

    @Override
    public void sumPositionsForward(Tensor x, Tensor out) {
        if (!empty(out)) {
            elementwise.sumPositionsForward(f(x), f(out), x.models(), x.dim(1), x.dim(2), x.dim(3));
        }
    }

    @Override
    public void sumPositionsBackward(Tensor dOut, Tensor dX) {
        if (!empty(dX)) {
            elementwise.sumPositionsBackward(f(dOut), f(dX), dX.models(), dX.dim(1), dX.dim(2), dX.dim(3));
        }
    }

    // ---- loss and optimisation ----------------------------------------------------------------

    @Override
    public void crossEntropyForward(Tensor logits, Tensor labels, Tensor weights, Tensor perExample, Tensor loss) {
        int m = logits.models(), batch = logits.dim(1), vocab = logits.dim(2);
        ShapeCheck.require("crossEntropyForward", "labels", labels, m, batch);
        ShapeCheck.require("crossEntropyForward", "weights", weights, m, batch);
        ShapeCheck.require("crossEntropyForward", "perExample", perExample, m, batch, 3);
        ShapeCheck.requireSize("crossEntropyForward", "loss", loss, m, 1);
        if (batch == 0) {
            fill(loss, 0);
            return;
        }
        CUdeviceptr weighted = scratch.get("xent.weightedCe", (long) m * batch * Double.BYTES);
        xent.forward(f(logits), i(labels), f(weights), f(perExample), f(loss), weighted, m, batch, vocab);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor labels, Tensor weights, Tensor dLogits) {
        ShapeCheck.require("crossEntropyBackward", "labels", labels, logits.models(), logits.dim(1));
        ShapeCheck.require("crossEntropyBackward", "weights", weights, logits.models(), logits.dim(1));
        ShapeCheck.require("crossEntropyBackward", "dLogits", dLogits, logits.shape().dims());
        if (!empty(logits)) {
            xent.backward(f(logits), i(labels), f(weights), f(dLogits), logits.models(), logits.dim(1), logits.dim(2));
        }
    }

    @Override
    public void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty) {
        ShapeCheck.requireSize("lpPenalty", "trainable", trainable, 1, params.perModel());
        ShapeCheck.require("lpPenalty", "grads", grads, params.shape().dims());
        ShapeCheck.requireSize("lpPenalty", "penalty", penalty, params.models(), 1);
        norms.lpPenalty(f(params), f(trainable), f(grads), f(penalty), params.models(), perModel(params), p, alpha);
    }

    @Override
    public void parameterNorms(Tensor params, Tensor offsets, Tensor out) {
        int stretches = offsets.dim(-1) - 1;
        ShapeCheck.requireSize("parameterNorms", "offsets", offsets, 1, stretches + 1L);
        ShapeCheck.requireSize("parameterNorms", "out", out, params.models(), 2L * stretches);
        if (empty(params) || stretches == 0) {
            return;
        }
        norms.parameterNorms(f(params), i(offsets), f(out), params.models(), stretches);
    }

    @Override
    public void adamwStep(Tensor params, Tensor grads, Tensor m, Tensor v, AdamWSettings s) {
        String op = "adamwStep";
        ShapeCheck.requireSize(op, "trainable", s.trainable(), 1, params.perModel());
        ShapeCheck.require(op, "grads", grads, params.shape().dims());
        ShapeCheck.require(op, "m", m, params.shape().dims());
        ShapeCheck.require(op, "v", v, params.shape().dims());
        ShapeCheck.requireSize(op, "lr", s.lr(), params.models(), 1);
        ShapeCheck.requireSize(op, "weightDecay", s.weightDecay(), params.models(), 1);
        ShapeCheck.requireSize(op, "step", s.step(), params.models(), 1);
        if (empty(params)) {
            return;
        }
        adamw.step(f(params), f(grads), f(m), f(v), f(s.lr()), f(s.weightDecay()), f(s.step()), f(s.trainable()),
                params.models(), perModel(params), (float) s.beta1(), (float) s.beta2(), (float) s.eps());
    }

    // ---- repeatable work ----------------------------------------------------------------------

    @Override
    public void runRepeatable(String key, Runnable work) {
        bind();
        graphs.run(key, work);
    }

    @Override
    public void forgetRepeatable() {
        graphs.forget();
    }

    /** Frees every allocation still open, the graphs, the kernels and the stream. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        bind();
        cuStreamSynchronize(stream);
        if (runner.profile() != null) {
            runner.profile().report(System.err);
        }
        graphs.close();
        for (DeviceStorage s : new ArrayList<>(live)) {
            s.close();
        }
        scratch.close();
        gemm.close();
        modules.close();
        cuStreamDestroy(stream);
        cuDevicePrimaryCtxRelease(device);
        closed = true;
    }
}
