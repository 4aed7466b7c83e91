package dev.genai4j.data.shapes;

import dev.genai4j.data.DataException;
import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class PlyFileTest {
    private static PointCloud cloud() {
        Scene s = Scene.pair(new ObjectSpec(Primitive.CONE, PaletteColour.ORANGE, ShapeSize.SMALL), Relation.ON_TOP_OF,
                new ObjectSpec(Primitive.CUBE, PaletteColour.BLUE, ShapeSize.MEDIUM), 0.2, 0.7, false);
        return s.sample(777, new Rng(4));
    }

    @Test
    void everyFormatReadsBackExactly(@TempDir Path dir) throws Exception {
        PointCloud pc = cloud();
        for (PlyFile.Format f : PlyFile.Format.values()) {
            Path file = dir.resolve(f + ".ply");
            PlyFile.write(file, pc, f);
            PointCloud back = PlyFile.read(file);
            assertArrayEquals(pc.xyz(), back.xyz(), f.toString());      // floats bit for bit, ASCII included
            assertArrayEquals(pc.rgb(), back.rgb(), f.toString());      // palette colours are k/255
            String head = new String(Files.readAllBytes(file), 0, 60, StandardCharsets.US_ASCII);
            assertTrue(head.startsWith("ply\nformat " + f.keyword() + " 1.0\n"), head);
        }
        byte[] binary = Files.readAllBytes(dir.resolve("BINARY_LITTLE_ENDIAN.ply"));
        int header = new String(binary, StandardCharsets.US_ASCII).indexOf("end_header\n") + "end_header\n".length();
        assertEquals(15 * 777, binary.length - header);   // 3 floats + 3 bytes per point
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void readsOtherToolsLayouts() {
        // float colours, properties reordered, a normal, a face element after the vertices, CRLF lines
        String ply = "ply\r\nformat ascii 1.0\r\ncomment from another tool\r\nelement vertex 2\r\nproperty double z\r\nproperty float nx\r\n"
                + "property float x\r\nproperty float y\r\nproperty float red\r\nproperty float green\r\nproperty float blue\r\n"
                + "element face 1\r\nproperty list uchar int vertex_indices\r\nend_header\r\n"
                + "3.5 0 1 2 1 0.5 0\r\n-1 0 4 5 0 0 0.25\r\n3 0 1 1\r\n";
        PointCloud pc = PlyFile.parse(ply.getBytes(StandardCharsets.US_ASCII), "other.ply");
        assertArrayEquals(new float[]{1, 2, 3.5f, 4, 5, -1}, pc.xyz());
        assertArrayEquals(new float[]{1, 0.5f, 0, 0, 0, 0.25f}, pc.rgb());

        String noColour = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n";
        assertArrayEquals(new float[]{0.5f, 0.5f, 0.5f}, PlyFile.parse(noColour.getBytes(StandardCharsets.US_ASCII), "grey.ply").rgb());
    }

    @Test
    void corruptFilesFailWithTheFileNamed(@TempDir Path dir) throws Exception {
        byte[] good = PlyFile.toBytes(cloud(), PlyFile.Format.BINARY_LITTLE_ENDIAN);
        Path cut = Files.write(dir.resolve("cut.ply"), Arrays.copyOf(good, good.length - 7));
        PlyFormatException e = assertThrows(PlyFormatException.class, () -> PlyFile.read(cut));
        assertTrue(e.getMessage().contains("cut.ply") && e.getMessage().contains("truncated") && e.getMessage().contains("777"), e.getMessage());

        Path png = Files.write(dir.resolve("not.ply"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0});
        assertTrue(assertThrows(PlyFormatException.class, () -> PlyFile.read(png)).getMessage().contains("not a PLY file"));

        String noZ = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nend_header\n1 2\n";
        assertTrue(assertThrows(PlyFormatException.class, () -> PlyFile.parse(noZ.getBytes(StandardCharsets.US_ASCII), "noz.ply"))
                .getMessage().contains("no property 'z'"));
        String badNumber = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 two 3\n";
        assertTrue(assertThrows(PlyFormatException.class, () -> PlyFile.parse(badNumber.getBytes(StandardCharsets.US_ASCII), "bad.ply"))
                .getMessage().contains("'two' for vertex 0 property y"));
        String badType = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float128 x\nend_header\n";
        assertTrue(assertThrows(PlyFormatException.class, () -> PlyFile.parse(badType.getBytes(StandardCharsets.US_ASCII), "t.ply"))
                .getMessage().contains("float128"));
        assertTrue(assertThrows(DataException.class, () -> PlyFile.read(dir.resolve("missing.ply"))).getMessage().contains("does not exist"));
    }

    @Test
    void unwritablePathsFailClearlyAndLeaveTheOldFile(@TempDir Path dir) throws Exception {
        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        DataException e = assertThrows(DataException.class, () -> PlyFile.write(blocker.resolve("cube.ply"), cloud(), PlyFile.Format.ASCII));
        assertTrue(e.getMessage().contains("cube.ply") && e.getMessage().contains("cannot"), e.getMessage());
        DataException folder = assertThrows(DataException.class, () -> PlyFile.write(dir, cloud(), PlyFile.Format.ASCII));
        assertTrue(folder.getMessage().contains("is a folder"), folder.getMessage());

        Path target = dir.resolve("keep.ply");
        PlyFile.write(target, cloud(), PlyFile.Format.ASCII);
        byte[] before = Files.readAllBytes(target);
        assertThrows(DataException.class, () -> OutputFiles.write(target, out -> {
            out.write(1);
            throw new java.io.IOException("disk full");
        }));
        assertArrayEquals(before, Files.readAllBytes(target));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }
}
