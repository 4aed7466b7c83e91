package dev.genai4j.models.clip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding as PIL's {@code convert("RGB")} sees images, EXIF orientation and bad input. */
class ImageFilesTest {

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "no " + format + " writer for this image type");
        return out.toByteArray();
    }

    static RgbImage decode(byte[] bytes) { return ImageFiles.read(bytes, "test", ImageFiles.DEFAULT_MAX_PIXELS); }

    @Test
    void greyIsReplicatedWithoutColourManagement() throws IOException {
        BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 50);
        g.getRaster().setSample(2, 1, 0, 200);
        RgbImage rgb = decode(encode(g, "png"));
        // getRGB() would apply the linear-grey → sRGB curve (50 → ~124); PIL keeps 50
        assertEquals(50, rgb.get(0, 0, 0));
        assertEquals(50, rgb.get(0, 0, 1));
        assertEquals(50, rgb.get(0, 0, 2));
        assertEquals(200, rgb.get(2, 1, 1));
        assertEquals(0, rgb.get(1, 0, 2));
    }

    @Test
    void sixteenBitGreyClipsAt255AsPilModeI() throws IOException {
        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g.getRaster().setSample(0, 0, 0, 100);
        g.getRaster().setSample(1, 0, 0, 1000);
        RgbImage rgb = decode(encode(g, "png"));
        assertEquals(100, rgb.get(0, 0, 0));
        assertEquals(255, rgb.get(1, 0, 2));
    }

    @Test
    void paletteIsLookedUpInPngAndGif() throws IOException {
        byte[] r = {0, (byte) 250, 10, 0}, gr = {0, 5, (byte) 200, 0}, b = {0, 7, 30, (byte) 255};
        IndexColorModel icm = new IndexColorModel(8, 4, r, gr, b);
        // 8 x 8: the JDK's GIF writer loses the last rows of a 2 x 2 image
        BufferedImage p = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, icm);
        p.getRaster().setSample(0, 0, 0, 1);
        p.getRaster().setSample(1, 0, 0, 2);
        p.getRaster().setSample(0, 1, 0, 3);
        for (String format : new String[]{"png", "gif"}) {   // (the JDK BMP writer drops 4-bit palettes: BMP is covered as RGB)
            RgbImage rgb = decode(encode(p, format));
            assertEquals(250, rgb.get(0, 0, 0), format);
            assertEquals(5, rgb.get(0, 0, 1), format);
            assertEquals(7, rgb.get(0, 0, 2), format);
            assertEquals(200, rgb.get(1, 0, 1), format);
            assertEquals(255, rgb.get(0, 1, 2), format);
            assertEquals(0, rgb.get(1, 1, 0), format);
        }
    }

    @Test
    void alphaIsDroppedNotComposited() throws IOException {
        BufferedImage a = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        a.setRGB(0, 0, 0x000A141E);               // fully transparent (10, 20, 30)
        a.setRGB(1, 0, 0x80FF0000);               // half-transparent red
        RgbImage rgb = decode(encode(a, "png"));
        assertEquals(10, rgb.get(0, 0, 0));
        assertEquals(20, rgb.get(0, 0, 1));
        assertEquals(30, rgb.get(0, 0, 2));
        assertEquals(255, rgb.get(1, 0, 0));
        assertEquals(0, rgb.get(1, 0, 1));
    }

    @Test
    void rgbRoundTripsLosslessFormatsExactly() throws IOException {
        BufferedImage c = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 5; x++) c.setRGB(x, y, (x * 40) << 16 | (y * 90) << 8 | (x * y * 10));
        for (String format : new String[]{"png", "bmp"}) {
            RgbImage rgb = decode(encode(c, format));
            assertEquals(160, rgb.get(4, 2, 0), format);
            assertEquals(180, rgb.get(4, 2, 1), format);
            assertEquals(80, rgb.get(4, 2, 2), format);
        }
    }

    @Test
    void exifOrientationTurnsJpegUpright() throws IOException {
        // 32 x 16: left half red, right half blue
        BufferedImage c = new BufferedImage(32, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 32; x++) c.setRGB(x, y, x < 16 ? 0xFF0000 : 0x0000FF);
        byte[] jpeg = encode(c, "jpeg");
        RgbImage plain = decode(jpeg);
        assertEquals(32, plain.width());
        RgbImage rot = decode(withOrientation(jpeg, 6));     // rotate 90° clockwise to display
        assertEquals(16, rot.width());
        assertEquals(32, rot.height());
        assertTrue(rot.get(8, 4, 0) > 200 && rot.get(8, 4, 2) < 60, "top is the former left (red)");
        assertTrue(rot.get(8, 28, 2) > 200 && rot.get(8, 28, 0) < 60, "bottom is the former right (blue)");
        RgbImage r8 = decode(withOrientation(jpeg, 8));      // 90° counter-clockwise
        assertTrue(r8.get(8, 4, 2) > 200, "top is the former right (blue)");
        RgbImage r3 = decode(withOrientation(jpeg, 3));
        assertEquals(32, r3.width());
        assertTrue(r3.get(4, 8, 2) > 200, "180°: left is blue");
        assertEquals(6, ExifOrientation.read(withOrientation(jpeg, 6)));
        assertEquals(1, ExifOrientation.read(jpeg));
    }

    /** The JPEG with an APP1 Exif segment (big-endian TIFF, IFD0 holding only the orientation) after SOI. */
    static byte[] withOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] body = tiff.array();
        int len = 2 + 6 + body.length;
        ByteBuffer app1 = ByteBuffer.allocate(2 + len);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) len).put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)).put(body);
        byte[] out = new byte[jpeg.length + app1.capacity()];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1.array(), 0, out, 2, app1.capacity());
        System.arraycopy(jpeg, 2, out, 2 + app1.capacity(), jpeg.length - 2);
        return out;
    }

    @Test
    void truncatedAndForeignFilesFailWithTypedErrors(@TempDir Path dir) throws IOException {
        BufferedImage c = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) c.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | ((x ^ y) * 4));
        for (String format : new String[]{"png", "jpeg", "gif", "bmp"}) {
            byte[] full = encode(c, format);
            byte[] cut = Arrays.copyOf(full, full.length / 2);
            ImageReadException e = assertThrows(ImageReadException.class, () -> decode(cut), format);
            assertTrue(e.getMessage().contains("test"), e.getMessage());
        }
        assertThrows(ImageReadException.class, () -> decode("hello, not an image".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ImageReadException.class, () -> decode(new byte[0]));
        // a valid 1 x 1 WBMP: the JDK would read it, PIL (and the formats promised here) would not
        assertThrows(ImageReadException.class, () -> decode(new byte[]{0, 0, 1, 1, 0}));
        Path missing = dir.resolve("nope.png");
        ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(missing));
        assertTrue(e.getMessage().contains("nope.png"), e.getMessage());
    }

    @Test
    void hugeImageIsRefusedFromItsHeaderBeforeDecoding() {
        byte[] png = pngHeaderOnly(20_000, 20_000);
        ImageReadException.TooLarge e = assertThrows(ImageReadException.TooLarge.class, () -> decode(png));
        assertTrue(e.getMessage().contains("20000 x 20000") && e.getMessage().contains("400000000"), e.getMessage());
        assertThrows(ImageReadException.TooLarge.class, () -> ImageFiles.read(pngHeaderOnly(300, 200), "small", 1000));
    }

    /** A PNG signature + IHDR (8-bit RGB) + IEND: enough for the header, no pixel data. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void fixtureImageReadsAsRgb() {
        RgbImage img = ImageFiles.read(ClipFixturesTest.ROOT.resolve("preprocess/image.png"));
        assertEquals(300 * 200 * 3, img.rgb().length);
        assertTrue(Files.exists(ClipFixturesTest.ROOT.resolve("preprocess/image.png")));
    }
}
