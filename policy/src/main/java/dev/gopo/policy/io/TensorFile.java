package dev.gopo.policy.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small, deterministic file format for named float32 tensors, used for policy weights and
 * optimizer state. The same tensors always give the same bytes (no timestamps, insertion order
 * kept), so the SHA-256 of a weights file identifies a policy version.
 *
 * <pre>
 * magic    8 bytes  "GOPOTNS1"
 * metadata UTF      free text (JSON), "{}" for weights
 * count    int32
 * count x { name UTF, rank int32, dims int64[rank], data float32[prod(dims)] little-endian }
 * </pre>
 *
 * Header integers are big-endian (DataOutputStream); tensor data is little-endian.
 */
public final class TensorFile {

    private static final byte[] MAGIC = "GOPOTNS1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** What a tensor file holds, arrays attached to the manager given to {@link #read}. */
    public record Contents(String metadata, Map<String, NDArray> tensors) {}

    private TensorFile() {}

    /** Writes {@code tensors} in iteration order; they must be float32. */
    public static void write(OutputStream rawOut, String metadata, Map<String, NDArray> tensors)
            throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(rawOut, 1 << 16));
        out.write(MAGIC);
        out.writeUTF(metadata);
        out.writeInt(tensors.size());
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray array = e.getValue();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " is " + array.getDataType()
                        + "; only float32 tensors can be saved");
            }
            out.writeUTF(e.getKey());
            long[] dims = array.getShape().getShape();
            out.writeInt(dims.length);
            for (long d : dims) {
                out.writeLong(d);
            }
            float[] data = array.toFloatArray();
            ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(data);
            out.write(bytes.array());
        }
        out.flush();
    }

    /** Reads a file written by {@link #write}, creating the arrays in {@code manager}. */
    public static Contents read(Path file, NDManager manager) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, manager, file.toAbsolutePath().toString());
        } catch (EOFException e) {
            throw new IOException("truncated tensor file " + file.toAbsolutePath(), e);
        }
    }

    private static Contents read(InputStream rawIn, NDManager manager, String source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(rawIn, 1 << 16));
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(source + " is not a GOPO tensor file (bad magic bytes)");
        }
        String metadata = in.readUTF();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException(source + " declares a negative tensor count " + count);
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int rank = in.readInt();
            if (rank < 0 || rank > 8) {
                throw new IOException(source + ": tensor " + name + " has implausible rank " + rank);
            }
            long[] dims = new long[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = in.readLong();
                size = Math.multiplyExact(size, dims[d]);
            }
            if (size < 0 || size > Integer.MAX_VALUE / Float.BYTES) {
                throw new IOException(source + ": tensor " + name + " has implausible size " + size);
            }
            byte[] raw = new byte[(int) size * Float.BYTES];
            in.readFully(raw);
            float[] data = new float[(int) size];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            NDArray array = manager.create(data, new Shape(dims));
            array.setName(name);
            tensors.put(name, array);
        }
        if (in.read() != -1) {
            throw new IOException(source + " has trailing bytes after " + count + " tensors");
        }
        return new Contents(metadata, tensors);
    }
}
