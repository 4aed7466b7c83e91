package dev.genai4j.models.clip;

/**
 * The EXIF orientation tag (0x0112) of a JPEG and the transpose that undoes it, as PIL's
 * {@code ImageOps.exif_transpose} (which HF's {@code load_image} applies): 2 mirror, 3 rotate
 * 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise.
 *
 * <pre>{@code
 * int o = ExifOrientation.read(jpegBytes);     // 1 when absent
 * RgbImage upright = ExifOrientation.apply(img, o);
 * }</pre>
 */
public final class ExifOrientation {
    private ExifOrientation() {}

    /** The orientation in 1…8 from the first APP1 "Exif" segment of a JPEG; 1 when absent or unreadable. */
    public static int read(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) return 1;
        int p = 2;
        while (p + 4 <= jpeg.length) {
            if ((jpeg[p] & 0xFF) != 0xFF) return 1;
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xFF) { p += marker == 0xFF ? 1 : 2; continue; }
            if (marker == 0xDA || marker == 0xD9) return 1;                  // image data starts: no EXIF before it
            int len = u16(jpeg, p + 2, false);
            if (len < 2 || p + 2 + len > jpeg.length) return 1;
            if (marker == 0xE1 && len >= 8 && jpeg[p + 4] == 'E' && jpeg[p + 5] == 'x' && jpeg[p + 6] == 'i' && jpeg[p + 7] == 'f') {
                int o = tiffOrientation(jpeg, p + 10, p + 2 + len);
                return o >= 1 && o <= 8 ? o : 1;
            }
            p += 2 + len;
        }
        return 1;
    }

    /** Orientation tag of IFD0 of the TIFF structure in {@code b[start, end)}, or 1. */
    private static int tiffOrientation(byte[] b, int start, int end) {
        if (start + 8 > end) return 1;
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') little = true;
        else if (b[start] == 'M' && b[start + 1] == 'M') little = false;
        else return 1;
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) return 1;
        int at = (int) (start + ifd);
        int count = u16(b, at, little);
        for (int i = 0; i < count; i++) {
            int e = at + 2 + i * 12;
            if (e + 12 > end) return 1;
            if (u16(b, e, little) == 0x0112 && u16(b, e + 2, little) == 3) return u16(b, e + 8, little);   // SHORT, value inline
        }
        return 1;
    }

    private static int u16(byte[] b, int p, boolean little) {
        int a = b[p] & 0xFF, c = b[p + 1] & 0xFF;
        return little ? a | c << 8 : a << 8 | c;
    }

    private static long u32(byte[] b, int p, boolean little) {
        long hi = u16(b, little ? p + 2 : p, little), lo = u16(b, little ? p : p + 2, little);
        return hi << 16 | lo;
    }

    /** The image turned upright for {@code orientation} (1 or out of range: unchanged). */
    public static RgbImage apply(RgbImage in, int orientation) {
        if (orientation <= 1 || orientation > 8) return in;
        int w = in.width(), h = in.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        byte[] src = in.rgb(), out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx, sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }              // FLIP_LEFT_RIGHT
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }      // ROTATE_180
                    case 4 -> { sx = x; sy = h - 1 - y; }              // FLIP_TOP_BOTTOM
                    case 5 -> { sx = y; sy = x; }                      // TRANSPOSE
                    case 6 -> { sx = y; sy = h - 1 - x; }              // ROTATE_270 (counter-clockwise) = 90° clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }      // TRANSVERSE
                    default -> { sx = w - 1 - y; sy = x; }             // 8: ROTATE_90 counter-clockwise
                }
                System.arraycopy(src, (sy * w + sx) * 3, out, (y * ow + x) * 3, 3);
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
