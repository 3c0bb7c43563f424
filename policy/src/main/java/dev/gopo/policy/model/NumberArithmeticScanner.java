package dev.gopo.policy.model;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds compiled code that calls DJL's {@code (Number)} arithmetic on NDArrays
 * ({@code x.mul(2f)}, {@code x.divi(n)}, {@code x.maximum(1f)}, {@code NDArrays.add(x, 1)}, ...),
 * which is unsafe under autograd (see {@link Scalars}). The guard tests of the modules that hold
 * autograd code ({@code ScalarArithmeticGuardTest} in policy and tasks) run it over their
 * {@code target/classes}.
 *
 * <p>It reads the constant pool of every class file: a call compiles to a method reference
 * naming the declaring type and the parameter types, so {@code x.mul(scale)} with a {@code float
 * scale} is found as surely as {@code x.mul(2f)}, and {@code List.add(1)} is not mistaken for it.
 * Comparisons ({@code gt(Number)} ...) and {@code set(NDIndex, Number)} are not reported: they are
 * not differentiable, so autograd never keeps their scalar.
 */
public final class NumberArithmeticScanner {

    /** DJL methods that take a {@code Number} and whose result autograd can differentiate. */
    static final Set<String> ARITHMETIC = Set.of(
            "add", "sub", "mul", "div", "mod", "pow",
            "addi", "subi", "muli", "divi", "modi", "powi",
            "rsub", "rdiv", "rmod", "rpow", "rsubi", "rdivi", "rmodi", "rpowi",
            "maximum", "minimum", "clip");

    private NumberArithmeticScanner() {}

    /**
     * @param classesRoot a directory of class files, e.g. a module's {@code target/classes}
     * @return one line per offending class and method reference, e.g.
     *     {@code dev/gopo/Foo -> ai/djl/ndarray/NDArray.mul(Ljava/lang/Number;)...}; sorted, empty when clean
     */
    public static List<String> scan(Path classesRoot) throws IOException {
        Set<String> found = new TreeSet<>();
        List<Path> classFiles;
        try (Stream<Path> files = Files.walk(classesRoot)) {
            classFiles = files.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path file : classFiles) {
            String className = classesRoot.relativize(file).toString().replace('\\', '/').replaceAll("\\.class$", "");
            try (InputStream in = Files.newInputStream(file)) {
                for (String ref : numberArithmeticReferences(in)) {
                    found.add(className + " -> " + ref);
                }
            }
        }
        return new ArrayList<>(found);
    }

    /** Method references in one class file to DJL {@link #ARITHMETIC} methods with a {@code Number} parameter. */
    static List<String> numberArithmeticReferences(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();                                   // minor version
        in.readUnsignedShort();                                   // major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[][] nameAndType = new int[count][];
        List<int[]> methodRefs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;                                           // 8-byte constants take two slots
                }
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 10, 11 -> methodRefs.add(new int[] {in.readUnsignedShort(), in.readUnsignedShort()});
                case 9, 17, 18 -> in.readInt();
                case 12 -> nameAndType[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        List<String> out = new ArrayList<>();
        for (int[] ref : methodRefs) {
            String owner = utf8[classNameIndex[ref[0]]];
            int[] nat = nameAndType[ref[1]];
            String name = utf8[nat[0]];
            String descriptor = utf8[nat[1]];
            String parameters = descriptor.substring(0, descriptor.indexOf(')') + 1);
            if (owner.startsWith("ai/djl/") && ARITHMETIC.contains(name) && parameters.contains("Ljava/lang/Number;")) {
                out.add(owner + "." + name + descriptor);
            }
        }
        return out;
    }
}
